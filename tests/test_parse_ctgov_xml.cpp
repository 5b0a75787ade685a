// The legacy <clinical_study> XML reader: every corpus file checked field by field against what
// the XML itself says, read here with libxml2's tree API (not the streaming reader the parser
// uses), and the older value forms carried through raw for normalize.
#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <memory>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/ctgov_xml.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

using Opt = std::optional<std::string>;

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

std::string_view name_of(const xmlNode* n) {
  return reinterpret_cast<const char*>(n->name);
}

std::vector<const xmlNode*> children(const xmlNode* n, std::string_view name) {
  std::vector<const xmlNode*> out;
  if (!n) return out;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && name_of(c) == name) out.push_back(c);
  return out;
}

const xmlNode* child(const xmlNode* n, std::string_view name) {
  auto all = children(n, name);
  return all.empty() ? nullptr : all.front();
}

std::string content(const xmlNode* n) {
  xmlChar* s = xmlNodeGetContent(n);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}

// A leaf's text, whitespace collapsed; blank is absent.
Opt text(const xmlNode* n) {
  if (!n) return std::nullopt;
  std::string s = collapse_whitespace(content(n));
  if (s.empty()) return std::nullopt;
  return s;
}

Opt text_at(const xmlNode* n, std::initializer_list<std::string_view> path) {
  for (auto part : path) n = child(n, part);
  return text(n);
}

Opt attr(const xmlNode* n, const char* name) {
  if (!n) return std::nullopt;
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return std::nullopt;
  std::string s = collapse_whitespace(reinterpret_cast<const char*>(v));
  xmlFree(v);
  if (s.empty()) return std::nullopt;
  return s;
}

std::vector<std::string> texts(const xmlNode* n, std::string_view name) {
  std::vector<std::string> out;
  for (const xmlNode* c : children(n, name))
    if (auto t = text(c); t && std::find(out.begin(), out.end(), *t) == out.end())
      out.push_back(*t);
  return out;
}

Opt got(const JsonValue& record, std::string_view field) {
  return get_string(record, field);
}

// A text block compared by its words: line layout is checked by its own test case.
Opt words(const Opt& s) {
  if (!s) return s;
  return collapse_whitespace(*s);
}

const JsonValue& got_array(const JsonValue& record, std::string_view field) {
  const JsonValue* v = find_member(record, field);
  REQUIRE(v);
  REQUIRE(v->IsArray());
  return *v;
}

void check_typed(const JsonValue& record, std::string_view field, std::string_view key,
                 const xmlNode* n) {
  const JsonValue* v = find_member(record, field);
  REQUIRE(v);
  Opt value = text(n);
  if (!value) {
    CHECK_MESSAGE(v->IsNull(), field);
    return;
  }
  REQUIRE_MESSAGE(v->IsObject(), field);
  CHECK(got(*v, key) == value);
  CHECK(got(*v, "type") == attr(n, "type"));
}

// A person's name as the XML splits it.
Opt person_name(const xmlNode* p) {
  std::string name;
  for (const char* part : {"first_name", "middle_name", "last_name"})
    if (auto t = text(child(p, part))) name += (name.empty() ? "" : " ") + *t;
  if (auto d = text(child(p, "degrees"))) name += (name.empty() ? "" : ", ") + *d;
  if (name.empty()) return std::nullopt;
  return name;
}

Opt phone_of(const xmlNode* p) {
  Opt phone = text(child(p, "phone"));
  Opt ext = text(child(p, "phone_ext"));
  if (phone && ext) return *phone + " ext. " + *ext;
  return phone ? phone : ext;
}

void check_study(const JsonValue& record, const xmlNode* root, const std::string& sha256) {
  const xmlNode* id = child(root, "id_info");
  INFO("study ", text(child(id, "nct_id")).value_or("?"));
  CHECK(got(record, "nct_id") == text(child(id, "nct_id")));
  CHECK(got(record, "org_study_id") == text(child(id, "org_study_id")));
  std::vector<std::string> secondary = texts(id, "secondary_id");
  for (const auto& alias : texts(id, "nct_alias"))
    if (std::find(secondary.begin(), secondary.end(), alias) == secondary.end())
      secondary.push_back(alias);
  CHECK(get_string_list(record, "secondary_ids") == secondary);
  CHECK(got(record, "brief_title") == text(child(root, "brief_title")));
  CHECK(got(record, "official_title") == text(child(root, "official_title")));
  CHECK(got(record, "acronym") == text(child(root, "acronym")));
  CHECK(got(record, "overall_status") == text(child(root, "overall_status")));
  check_typed(record, "start_date", "date", child(root, "start_date"));
  check_typed(record, "primary_completion_date", "date", child(root, "primary_completion_date"));
  check_typed(record, "completion_date", "date", child(root, "completion_date"));
  check_typed(record, "enrollment", "count", child(root, "enrollment"));
  Opt first = text(child(root, "study_first_posted"));
  CHECK(got(record, "first_posted") == (first ? first : text(child(root, "firstreceived_date"))));
  Opt last = text(child(root, "last_update_posted"));
  CHECK(got(record, "last_update_posted") == (last ? last : text(child(root, "lastchanged_date"))));
  CHECK(got(record, "last_verified") == text(child(root, "verification_date")));
  CHECK(got(record, "study_type") == text(child(root, "study_type")));
  CHECK(got(record, "phases") == text(child(root, "phase")));

  // sponsors and responsible party
  const xmlNode* sponsors = child(root, "sponsors");
  const JsonValue* lead = find_member(record, "lead_sponsor");
  REQUIRE(lead);
  if (const xmlNode* l = child(sponsors, "lead_sponsor")) {
    REQUIRE(lead->IsObject());
    CHECK(got(*lead, "name") == text(child(l, "agency")));
    CHECK(got(*lead, "class") == text(child(l, "agency_class")));
  } else {
    CHECK(lead->IsNull());
  }
  auto collaborators = children(sponsors, "collaborator");
  const JsonValue& got_collaborators = got_array(record, "collaborators");
  REQUIRE(got_collaborators.Size() == collaborators.size());
  for (size_t i = 0; i < collaborators.size(); ++i) {
    CHECK(got(got_collaborators[i], "name") == text(child(collaborators[i], "agency")));
    CHECK(got(got_collaborators[i], "class") == text(child(collaborators[i], "agency_class")));
  }
  const JsonValue* party = find_member(record, "responsible_party");
  REQUIRE(party);
  if (const xmlNode* rp = child(root, "responsible_party")) {
    REQUIRE(party->IsObject());
    Opt name = text(child(rp, "investigator_full_name"));
    if (!name) name = text(child(rp, "name_title"));
    Opt affiliation = text(child(rp, "investigator_affiliation"));
    if (!affiliation) affiliation = text(child(rp, "organization"));
    CHECK(got(*party, "type") == text(child(rp, "responsible_party_type")));
    CHECK(got(*party, "name") == name);
    CHECK(got(*party, "affiliation") == affiliation);
  } else {
    CHECK(party->IsNull());
  }

  // descriptions, conditions, keywords, MeSH
  CHECK(words(got(record, "brief_summary")) == text_at(root, {"brief_summary", "textblock"}));
  CHECK(words(got(record, "detailed_description")) ==
        text_at(root, {"detailed_description", "textblock"}));
  CHECK(get_string_list(record, "conditions") == texts(root, "condition"));
  CHECK(get_string_list(record, "keywords") == texts(root, "keyword"));
  CHECK(get_string_list(record, "mesh_terms") ==
        texts(child(root, "condition_browse"), "mesh_term"));

  // design: the 2007+ elements, or the one-line form before them
  const xmlNode* design = child(root, "study_design_info");
  if (design || !child(root, "study_design")) {
    CHECK(got(record, "allocation") == text(child(design, "allocation")));
    CHECK(got(record, "intervention_model") == text(child(design, "intervention_model")));
    CHECK(got(record, "primary_purpose") == text(child(design, "primary_purpose")));
    CHECK(got(record, "masking") == text(child(design, "masking")));
  } else {
    std::string line = *text(child(root, "study_design"));
    for (auto [label, field] : {std::pair{"Allocation: ", "allocation"},
                                {"Intervention Model: ", "intervention_model"},
                                {"Primary Purpose: ", "primary_purpose"},
                                {"Masking: ", "masking"}}) {
      if (auto v = got(record, field))
        CHECK(line.find(label + *v) != std::string::npos);
      else
        CHECK(line.find(label) == std::string::npos);
    }
  }

  // arms (their interventions named on the interventions) and interventions
  auto arms = children(root, "arm_group");
  auto interventions = children(root, "intervention");
  const JsonValue& got_arms = got_array(record, "arms");
  REQUIRE(got_arms.Size() == arms.size());
  for (size_t i = 0; i < arms.size(); ++i) {
    Opt label = text(child(arms[i], "arm_group_label"));
    CHECK(got(got_arms[i], "label") == label);
    CHECK(got(got_arms[i], "type") == text(child(arms[i], "arm_group_type")));
    CHECK(got(got_arms[i], "description") == text(child(arms[i], "description")));
    std::vector<std::string> names;
    for (const xmlNode* iv : interventions) {
      auto labels = texts(iv, "arm_group_label");
      if (!label || std::find(labels.begin(), labels.end(), *label) == labels.end()) continue;
      std::string named =
          *text(child(iv, "intervention_type")) + ": " + *text(child(iv, "intervention_name"));
      if (std::find(names.begin(), names.end(), named) == names.end()) names.push_back(named);
    }
    CHECK(get_string_list(got_arms[i], "intervention_names") == names);
  }
  const JsonValue& got_interventions = got_array(record, "interventions");
  REQUIRE(got_interventions.Size() == interventions.size());
  for (size_t i = 0; i < interventions.size(); ++i) {
    CHECK(got(got_interventions[i], "type") == text(child(interventions[i], "intervention_type")));
    CHECK(got(got_interventions[i], "name") == text(child(interventions[i], "intervention_name")));
    CHECK(got(got_interventions[i], "description") == text(child(interventions[i], "description")));
    CHECK(get_string_list(got_interventions[i], "other_names") ==
          texts(interventions[i], "other_name"));
  }

  // outcomes
  for (auto [element, field] : {std::pair{"primary_outcome", "primary_outcomes"},
                                std::pair{"secondary_outcome", "secondary_outcomes"}}) {
    auto outcomes = children(root, element);
    const JsonValue& got_outcomes = got_array(record, field);
    REQUIRE(got_outcomes.Size() == outcomes.size());
    for (size_t i = 0; i < outcomes.size(); ++i)
      for (const char* key : {"measure", "time_frame", "description"})
        CHECK(got(got_outcomes[i], key) == text(child(outcomes[i], key)));
  }

  // eligibility
  const xmlNode* el = child(root, "eligibility");
  CHECK(words(got(record, "eligibility_criteria")) == text_at(el, {"criteria", "textblock"}));
  CHECK(got(record, "sex") == text(child(el, "gender")));
  CHECK(got(record, "minimum_age") == text(child(el, "minimum_age")));
  CHECK(got(record, "maximum_age") == text(child(el, "maximum_age")));
  CHECK(got(record, "healthy_volunteers") == text(child(el, "healthy_volunteers")));

  // people
  const JsonValue& got_officials = got_array(record, "overall_officials");
  auto officials = children(root, "overall_official");
  REQUIRE(got_officials.Size() == officials.size());
  for (size_t i = 0; i < officials.size(); ++i) {
    CHECK(got(got_officials[i], "name") == person_name(officials[i]));
    CHECK(got(got_officials[i], "role") == text(child(officials[i], "role")));
    CHECK(got(got_officials[i], "affiliation") == text(child(officials[i], "affiliation")));
  }
  auto central = children(root, "overall_contact");
  for (const xmlNode* b : children(root, "overall_contact_backup")) central.push_back(b);
  const JsonValue& got_central = got_array(record, "central_contacts");
  REQUIRE(got_central.Size() == central.size());
  for (size_t i = 0; i < central.size(); ++i) {
    CHECK(got(got_central[i], "name") == person_name(central[i]));
    CHECK(got(got_central[i], "phone") == phone_of(central[i]));
    CHECK(got(got_central[i], "email") == text(child(central[i], "email")));
  }

  // locations, their contacts and investigators in document order
  auto locations = children(root, "location");
  const JsonValue& got_locations = got_array(record, "locations");
  REQUIRE(got_locations.Size() == locations.size());
  for (size_t i = 0; i < locations.size(); ++i) {
    const xmlNode* f = child(locations[i], "facility");
    CHECK(got(got_locations[i], "facility") == text(child(f, "name")));
    for (const char* key : {"city", "state", "zip", "country"})
      CHECK(got(got_locations[i], key) == text_at(f, {"address", key}));
    CHECK(got(got_locations[i], "status") == text(child(locations[i], "status")));
    std::vector<const xmlNode*> people;
    for (const xmlNode* c = locations[i]->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE &&
          (name_of(c) == "contact" || name_of(c) == "contact_backup" ||
           name_of(c) == "investigator"))
        people.push_back(c);
    const JsonValue& got_contacts = got_array(got_locations[i], "contacts");
    REQUIRE(got_contacts.Size() == people.size());
    for (size_t j = 0; j < people.size(); ++j) {
      CHECK(got(got_contacts[j], "name") == person_name(people[j]));
      CHECK(got(got_contacts[j], "role") == text(child(people[j], "role")));
      CHECK(got(got_contacts[j], "phone") == phone_of(people[j]));
      CHECK(got(got_contacts[j], "email") == text(child(people[j], "email")));
    }
  }

  // results: posted when the export has its results section
  const JsonValue* has_results = find_member(record, "has_results");
  REQUIRE(has_results);
  REQUIRE(has_results->IsBool());
  CHECK(has_results->GetBool() == (child(root, "clinical_results") != nullptr));
  const JsonValue* source = find_member(record, "source");
  REQUIRE(source);
  CHECK(got(*source, "format") == Opt("ctgov-xml"));
  CHECK(got(*source, "sha256") == Opt(sha256));
  CHECK(got_array(record, "parse_warnings").Size() == 0);
}

PageInput named(std::string name) {
  PageInput input;
  input.name = std::move(name);
  return input;
}

}  // namespace

TEST_CASE("parse ctgov xml: every corpus file matches its own XML field by field") {
  if (!have_corpus()) {
    MESSAGE("corpus not found at ", corpus_dir().string(), "; skipped");
    return;
  }
  size_t files = 0;
  size_t older_forms = 0;
  for (const auto& entry : fs::directory_iterator(corpus_dir() / "ctgov-xml")) {
    if (entry.path().extension() != ".xml") continue;
    INFO("file ", entry.path().string());
    std::string bytes = read_text(entry.path());
    std::vector<JsonDocument> records = parse_page(bytes, named(entry.path().string()));
    REQUIRE(records.size() == 1);
    std::unique_ptr<xmlDoc, DocDeleter> doc(xmlReadMemory(
        bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, XML_PARSE_NONET));
    REQUIRE(doc);
    check_study(records.front(), xmlDocGetRootElement(doc.get()), sha256_hex(bytes));
    // Normalize takes every value the XML gives: none is left unmapped.
    JsonDocument normalized = normalize_record(records.front());
    for (const auto& w : get_string_list(normalized, "normalize_warnings"))
      if (w.find("minimum_age") == std::string::npos && w.find("maximum_age") == std::string::npos)
        MESSAGE("normalize warning: ", w);
    if (bytes.find("\"Anticipated\"") != std::string::npos ||
        bytes.find(">Both<") != std::string::npos)
      ++older_forms;
    ++files;
  }
  CHECK(files == 60);
  CHECK(older_forms > 0);
}

TEST_CASE("parse ctgov xml: older value forms normalize to the contract's values") {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<clinical_study>
  <id_info><org_study_id>P-1</org_study_id><nct_id>NCT00000001</nct_id></id_info>
  <brief_title>A  study</brief_title>
  <overall_status>Recruiting</overall_status>
  <start_date>March 2004</start_date>
  <completion_date type="Anticipated">December 2009</completion_date>
  <phase>Phase 1/Phase 2</phase>
  <study_type>Interventional</study_type>
  <study_design>Allocation: Randomized, Masking: Double Blind (Subject, Investigator), Primary Purpose: Treatment</study_design>
  <enrollment type="Anticipated">120</enrollment>
  <eligibility>
    <criteria><textblock>
        Inclusion Criteria:

          -  Age 18 or more, with a wrapped
             second line

        Exclusion Criteria:

          -  Pregnancy
    </textblock></criteria>
    <gender>Both</gender><minimum_age>18 Years</minimum_age><maximum_age>N/A</maximum_age>
  </eligibility>
  <brief_summary><textblock>
      First paragraph wrapped
      over two lines.

      Second paragraph.
  </textblock></brief_summary>
  <firstreceived_date>March 1, 2004</firstreceived_date>
</clinical_study>)";
  auto records = parse_page(xml, named("old.xml"));
  REQUIRE(records.size() == 1);
  const JsonValue& parsed = records.front();
  CHECK(got(parsed, "brief_summary") ==
        Opt("First paragraph wrapped over two lines.\n\nSecond paragraph."));
  CHECK(got(parsed, "eligibility_criteria") ==
        Opt("Inclusion Criteria:\n\n  -  Age 18 or more, with a wrapped\n     second "
            "line\n\nExclusion Criteria:\n\n  -  "
            "Pregnancy"));
  CHECK(got(parsed, "first_posted") == Opt("March 1, 2004"));
  CHECK(got(parsed, "masking") == Opt("Double Blind (Subject, Investigator)"));
  CHECK(got(parsed, "has_results") == std::nullopt);
  JsonDocument record = normalize_record(parsed);
  CHECK(get_string_list(record, "phases") == std::vector<std::string>{"PHASE1", "PHASE2"});
  CHECK(got(record, "sex") == Opt("ALL"));
  CHECK(got(record, "allocation") == Opt("RANDOMIZED"));
  CHECK(got(record, "masking") == Opt("DOUBLE"));
  CHECK(got(record, "primary_purpose") == Opt("TREATMENT"));
  CHECK(got(record, "first_posted") == Opt("2004-03-01"));
  const JsonValue& start = record["start_date"];
  REQUIRE(start.IsObject());
  CHECK(got(start, "date") == Opt("2004-03"));
  CHECK(start["type"].IsNull());
  const JsonValue& completion = record["completion_date"];
  REQUIRE(completion.IsObject());
  CHECK(got(completion, "date") == Opt("2009-12"));
  CHECK(got(completion, "type") == Opt("ESTIMATED"));
  const JsonValue& enrollment = record["enrollment"];
  REQUIRE(enrollment.IsObject());
  CHECK(enrollment["count"].GetInt() == 120);
  CHECK(got(enrollment, "type") == Opt("ESTIMATED"));
  CHECK(record["maximum_age"].IsNull());
  CHECK(get_string_list(record, "inclusion_criteria").size() == 1);
  CHECK(get_string_list(record, "exclusion_criteria") == std::vector<std::string>{"Pregnancy"});
}

TEST_CASE(
    "parse ctgov xml: malformed, foreign-rooted and ID-less XML give no record, with the reason") {
  CHECK_THROWS_WITH_AS(
      parse_page("<?xml version=\"1.0\"?>\n<clinical_study><id_info><nct_id>NCT00000001</nct_id>",
                 named("cut.xml")),
      doctest::Contains("malformed XML"), Error);
  CHECK_THROWS_WITH_AS(
      parse_page(
          "<?xml version=\"1.0\"?>\n<clinical_study><brief_title>T</brief_title></clinical_study>",
          named("noid.xml")),
      doctest::Contains("no NCT ID"), Error);
  // A document whose first bytes are not a <clinical_study> is not taken for one.
  CHECK_FALSE(looks_like_ctgov_xml("<?xml version=\"1.0\"?><rss><channel/></rss>"));
  CHECK(looks_like_ctgov_xml("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<clinical_study>"));
}
