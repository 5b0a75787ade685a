// The ClinicalTrials.gov API v2 JSON parser: every corpus study checked field by field against
// its own JSON, paged responses, per-study errors, malformed and mistyped input, large pages.
#include <doctest/doctest.h>

#include <algorithm>
#include <initializer_list>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/parse/ctgov_v2_json.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

using Opt = std::optional<std::string>;

const JsonValue* at(const JsonValue* v, std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    if (!v) return nullptr;
    v = find_member(*v, key);
  }
  return v && !v->IsNull() ? v : nullptr;
}

// What the parser should write for an API string: the string itself unless blank.
Opt expect_str(const JsonValue* v, std::initializer_list<std::string_view> keys) {
  const JsonValue* s = at(v, keys);
  if (!s || !s->IsString()) return std::nullopt;
  std::string text(s->GetString(), s->GetStringLength());
  if (trim(text).empty()) return std::nullopt;
  return text;
}

// A string list as the parser writes it: trimmed, blanks and repeats dropped; a lone string
// (R exports unbox one-element arrays) is a one-element list.
std::vector<std::string> expect_list(const JsonValue* v, std::initializer_list<std::string_view> keys) {
  std::vector<std::string> out;
  auto add = [&](const JsonValue& item) {
    if (!item.IsString()) return;
    std::string s(trim(std::string_view(item.GetString(), item.GetStringLength())));
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  const JsonValue* list = at(v, keys);
  if (!list) return out;
  if (list->IsArray())
    for (const auto& item : list->GetArray()) add(item);
  else
    add(*list);
  return out;
}

std::vector<const JsonValue*> expect_objects(const JsonValue* v, std::initializer_list<std::string_view> keys) {
  std::vector<const JsonValue*> out;
  const JsonValue* list = at(v, keys);
  if (list && list->IsArray())
    for (const auto& item : list->GetArray())
      if (item.IsObject()) out.push_back(&item);
  return out;
}

Opt got(const JsonValue& record, std::string_view field) { return get_string(record, field); }

std::vector<std::string> got_list(const JsonValue& record, std::string_view field) {
  return get_string_list(record, field);
}

const JsonValue& got_array(const JsonValue& record, std::string_view field) {
  const JsonValue* v = find_member(record, field);
  REQUIRE(v);
  REQUIRE(v->IsArray());
  return *v;
}

// A {date|count, type} object, or a null one when the API gives no value.
void check_typed(const JsonValue& record, std::string_view field, std::string_view key, const Opt& value,
                 const Opt& type) {
  const JsonValue* v = find_member(record, field);
  REQUIRE(v);
  if (!value) {
    CHECK_MESSAGE(v->IsNull(), field);
    return;
  }
  REQUIRE_MESSAGE(v->IsObject(), field);
  CHECK(got(*v, key) == Opt(std::string(trim(*value))));
  CHECK(got(*v, "type") == type);
}

void check_study(const JsonValue& record, const JsonValue& study, const std::string& page_sha256) {
  const JsonValue* ps = at(&study, {"protocolSection"});
  const JsonValue* id = at(ps, {"identificationModule"});
  const JsonValue* st = at(ps, {"statusModule"});
  const JsonValue* sp = at(ps, {"sponsorCollaboratorsModule"});
  const JsonValue* de = at(ps, {"designModule"});
  const JsonValue* ai = at(ps, {"armsInterventionsModule"});
  const JsonValue* el = at(ps, {"eligibilityModule"});
  const JsonValue* cl = at(ps, {"contactsLocationsModule"});
  auto nct = expect_str(id, {"nctId"});
  INFO("study ", nct.value_or("?"));

  // identification
  CHECK(got(record, "nct_id") == nct);
  CHECK(got(record, "brief_title") == expect_str(id, {"briefTitle"}));
  CHECK(got(record, "official_title") == expect_str(id, {"officialTitle"}));
  CHECK(got(record, "acronym") == expect_str(id, {"acronym"}));
  CHECK(got(record, "org_study_id") == expect_str(id, {"orgStudyIdInfo", "id"}));
  std::vector<std::string> secondary;
  for (const JsonValue* info : expect_objects(id, {"secondaryIdInfos"}))
    for (const auto& s : expect_list(info, {"id"}))
      if (std::find(secondary.begin(), secondary.end(), s) == secondary.end()) secondary.push_back(s);
  CHECK(got_list(record, "secondary_ids") == secondary);

  // status
  CHECK(got(record, "overall_status") == expect_str(st, {"overallStatus"}));
  check_typed(record, "start_date", "date", expect_str(st, {"startDateStruct", "date"}),
              expect_str(st, {"startDateStruct", "type"}));
  check_typed(record, "primary_completion_date", "date", expect_str(st, {"primaryCompletionDateStruct", "date"}),
              expect_str(st, {"primaryCompletionDateStruct", "type"}));
  check_typed(record, "completion_date", "date", expect_str(st, {"completionDateStruct", "date"}),
              expect_str(st, {"completionDateStruct", "type"}));
  CHECK(got(record, "first_posted") == expect_str(st, {"studyFirstPostDateStruct", "date"}));
  CHECK(got(record, "last_update_posted") == expect_str(st, {"lastUpdatePostDateStruct", "date"}));
  CHECK(got(record, "last_verified") == expect_str(st, {"statusVerifiedDate"}));

  // sponsors
  const JsonValue* lead = find_member(record, "lead_sponsor");
  REQUIRE(lead);
  auto lead_name = expect_str(sp, {"leadSponsor", "name"});
  auto lead_class = expect_str(sp, {"leadSponsor", "class"});
  if (lead_name || lead_class) {
    CHECK(got(*lead, "name") == lead_name);
    CHECK(got(*lead, "class") == lead_class);
  } else {
    CHECK(lead->IsNull());
  }
  auto collaborators = expect_objects(sp, {"collaborators"});
  const JsonValue& got_collaborators = got_array(record, "collaborators");
  REQUIRE(got_collaborators.Size() == collaborators.size());
  for (size_t i = 0; i < collaborators.size(); ++i) {
    CHECK(got(got_collaborators[i], "name") == expect_str(collaborators[i], {"name"}));
    CHECK(got(got_collaborators[i], "class") == expect_str(collaborators[i], {"class"}));
  }
  const JsonValue* party = find_member(record, "responsible_party");
  REQUIRE(party);
  if (const JsonValue* rp = at(sp, {"responsibleParty"})) {
    REQUIRE(party->IsObject());
    auto name = expect_str(rp, {"investigatorFullName"});
    if (!name) name = expect_str(rp, {"oldNameTitle"});
    auto affiliation = expect_str(rp, {"investigatorAffiliation"});
    if (!affiliation) affiliation = expect_str(rp, {"oldOrganization"});
    CHECK(got(*party, "type") == expect_str(rp, {"type"}));
    CHECK(got(*party, "name") == name);
    CHECK(got(*party, "affiliation") == affiliation);
  } else {
    CHECK(party->IsNull());
  }

  // description, conditions, MeSH
  CHECK(got(record, "brief_summary") == expect_str(ps, {"descriptionModule", "briefSummary"}));
  CHECK(got(record, "detailed_description") == expect_str(ps, {"descriptionModule", "detailedDescription"}));
  CHECK(got_list(record, "conditions") == expect_list(ps, {"conditionsModule", "conditions"}));
  CHECK(got_list(record, "keywords") == expect_list(ps, {"conditionsModule", "keywords"}));
  std::vector<std::string> mesh;
  for (const JsonValue* m : expect_objects(&study, {"derivedSection", "conditionBrowseModule", "meshes"}))
    for (const auto& term : expect_list(m, {"term"}))
      if (std::find(mesh.begin(), mesh.end(), term) == mesh.end()) mesh.push_back(term);
  CHECK(got_list(record, "mesh_terms") == mesh);

  // design
  CHECK(got(record, "study_type") == expect_str(de, {"studyType"}));
  auto phases = expect_list(de, {"phases"});
  if (phases.empty()) {
    CHECK(find_member(record, "phases")->IsNull());
  } else {
    CHECK(got_list(record, "phases") == phases);
  }
  CHECK(got(record, "allocation") == expect_str(de, {"designInfo", "allocation"}));
  CHECK(got(record, "intervention_model") == expect_str(de, {"designInfo", "interventionModel"}));
  CHECK(got(record, "primary_purpose") == expect_str(de, {"designInfo", "primaryPurpose"}));
  CHECK(got(record, "masking") == expect_str(de, {"designInfo", "maskingInfo", "masking"}));
  Opt count;
  if (const JsonValue* c = at(de, {"enrollmentInfo", "count"}); c && c->IsInt64()) count = std::to_string(c->GetInt64());
  check_typed(record, "enrollment", "count", count, expect_str(de, {"enrollmentInfo", "type"}));

  // arms and interventions
  auto arms = expect_objects(ai, {"armGroups"});
  const JsonValue& got_arms = got_array(record, "arms");
  REQUIRE(got_arms.Size() == arms.size());
  for (size_t i = 0; i < arms.size(); ++i) {
    CHECK(got(got_arms[i], "label") == expect_str(arms[i], {"label"}));
    CHECK(got(got_arms[i], "type") == expect_str(arms[i], {"type"}));
    CHECK(got(got_arms[i], "description") == expect_str(arms[i], {"description"}));
    CHECK(got_list(got_arms[i], "intervention_names") == expect_list(arms[i], {"interventionNames"}));
  }
  auto interventions = expect_objects(ai, {"interventions"});
  const JsonValue& got_interventions = got_array(record, "interventions");
  REQUIRE(got_interventions.Size() == interventions.size());
  for (size_t i = 0; i < interventions.size(); ++i) {
    CHECK(got(got_interventions[i], "type") == expect_str(interventions[i], {"type"}));
    CHECK(got(got_interventions[i], "name") == expect_str(interventions[i], {"name"}));
    CHECK(got(got_interventions[i], "description") == expect_str(interventions[i], {"description"}));
    CHECK(got_list(got_interventions[i], "other_names") == expect_list(interventions[i], {"otherNames"}));
  }

  // outcomes
  for (auto [key, field] : {std::pair{"primaryOutcomes", "primary_outcomes"},
                            std::pair{"secondaryOutcomes", "secondary_outcomes"}}) {
    auto outcomes = expect_objects(ps, {"outcomesModule", key});
    const JsonValue& got_outcomes = got_array(record, field);
    REQUIRE(got_outcomes.Size() == outcomes.size());
    for (size_t i = 0; i < outcomes.size(); ++i) {
      CHECK(got(got_outcomes[i], "measure") == expect_str(outcomes[i], {"measure"}));
      CHECK(got(got_outcomes[i], "time_frame") == expect_str(outcomes[i], {"timeFrame"}));
      CHECK(got(got_outcomes[i], "description") == expect_str(outcomes[i], {"description"}));
    }
  }

  // eligibility
  CHECK(got(record, "eligibility_criteria") == expect_str(el, {"eligibilityCriteria"}));
  CHECK(find_member(record, "inclusion_criteria")->IsNull());
  CHECK(find_member(record, "exclusion_criteria")->IsNull());
  CHECK(got(record, "sex") == expect_str(el, {"sex"}));
  CHECK(got(record, "minimum_age") == expect_str(el, {"minimumAge"}));
  CHECK(got(record, "maximum_age") == expect_str(el, {"maximumAge"}));
  const JsonValue* healthy = find_member(record, "healthy_volunteers");
  REQUIRE(healthy);
  if (const JsonValue* h = at(el, {"healthyVolunteers"}); h && h->IsBool()) {
    REQUIRE(healthy->IsBool());
    CHECK(healthy->GetBool() == h->GetBool());
  } else {
    CHECK(healthy->IsNull());
  }

  // contacts and locations
  auto central = expect_objects(cl, {"centralContacts"});
  const JsonValue& got_central = got_array(record, "central_contacts");
  REQUIRE(got_central.Size() == central.size());
  for (size_t i = 0; i < central.size(); ++i)
    for (const char* key : {"name", "role", "phone", "email"})
      CHECK(got(got_central[i], key) == expect_str(central[i], {key}));
  auto officials = expect_objects(cl, {"overallOfficials"});
  const JsonValue& got_officials = got_array(record, "overall_officials");
  REQUIRE(got_officials.Size() == officials.size());
  for (size_t i = 0; i < officials.size(); ++i)
    for (const char* key : {"name", "role", "affiliation"})
      CHECK(got(got_officials[i], key) == expect_str(officials[i], {key}));
  auto locations = expect_objects(cl, {"locations"});
  const JsonValue& got_locations = got_array(record, "locations");
  REQUIRE(got_locations.Size() == locations.size());
  for (size_t i = 0; i < locations.size(); ++i) {
    for (const char* key : {"facility", "city", "state", "zip", "country", "status"})
      CHECK(got(got_locations[i], key) == expect_str(locations[i], {key}));
    auto contacts = expect_objects(locations[i], {"contacts"});
    const JsonValue& got_contacts = got_array(got_locations[i], "contacts");
    REQUIRE(got_contacts.Size() == contacts.size());
    for (size_t j = 0; j < contacts.size(); ++j)
      for (const char* key : {"name", "role", "phone", "email"})
        CHECK(got(got_contacts[j], key) == expect_str(contacts[j], {key}));
  }

  // results flag, related trials, provenance, warnings
  const JsonValue* has_results = find_member(record, "has_results");
  REQUIRE(has_results);
  if (const JsonValue* h = at(&study, {"hasResults"}); h && h->IsBool()) {
    REQUIRE(has_results->IsBool());
    CHECK(has_results->GetBool() == h->GetBool());
  } else {
    CHECK(has_results->IsNull());
  }
  std::vector<std::string> related;
  if (auto linked = expect_str(st, {"expandedAccessInfo", "nctId"}); linked && is_nct_id(*linked))
    related.push_back(*linked);
  CHECK(got_list(record, "related_nct_ids") == related);
  const JsonValue* source = find_member(record, "source");
  REQUIRE(source);
  CHECK(got(*source, "format") == Opt("ctgov-v2-json"));
  CHECK(got(*source, "sha256") == Opt(page_sha256));
  CHECK(got_array(record, "parse_warnings").Size() == 0);
}

// The studies of a page as the test reads it (a full DOM: corpus files are small).
std::vector<const JsonValue*> studies_of(const JsonDocument& page) {
  std::vector<const JsonValue*> out;
  const JsonValue* list = page.IsArray() ? &page : find_member(page, "studies");
  if (list && list->IsArray()) {
    for (const auto& s : list->GetArray()) out.push_back(&s);
  } else {
    out.push_back(&page);
  }
  return out;
}

std::string study_json(std::string_view nct_id, std::string_view title) {
  std::string id = nct_id.empty() ? "" : str_cat(R"("nctId": ")", nct_id, R"(", )");
  return str_cat(R"({"protocolSection": {"identificationModule": {)", id, R"("briefTitle": ")", title,
                 R"("}, "statusModule": {"overallStatus": "RECRUITING"}}, "hasResults": false})");
}

bool has_warning(const JsonValue& record, std::string_view needle) {
  for (const auto& w : got_list(record, "parse_warnings"))
    if (w.find(needle) != std::string::npos) return true;
  return false;
}

PageInput make_input(std::optional<std::string> url, std::optional<std::string> fetched_at) {
  PageInput input;
  input.name = "test";
  input.url = std::move(url);
  input.fetched_at = std::move(fetched_at);
  return input;
}

const PageInput kInput = make_input("https://clinicaltrials.gov/api/v2/studies", "2026-11-20T02:00:00Z");

}  // namespace

TEST_CASE("parse ctgov v2 json: every corpus study matches its own JSON field by field") {
  if (!have_corpus()) {
    MESSAGE("corpus not found at ", corpus_dir().string(), "; skipped");
    return;
  }
  size_t files = 0, studies = 0;
  for (const char* folder : {"ctgov-v2", "ctgov-v2-paged"}) {
    for (const auto& entry : fs::directory_iterator(corpus_dir() / folder)) {
      if (entry.path().extension() != ".json") continue;
      INFO("file ", entry.path().string());
      std::string bytes = read_text(entry.path());
      JsonDocument page = parse_json(bytes, entry.path().string());
      auto expected = studies_of(page);
      CtgovV2Result result = parse_ctgov_v2_json(bytes, kInput);
      CHECK(result.errors.empty());
      for (const auto& e : result.errors) MESSAGE(e.message);
      REQUIRE(result.records.size() == expected.size());
      std::string sha = sha256_hex(bytes);
      for (size_t i = 0; i < expected.size(); ++i) {
        check_study(result.records[i], *expected[i], sha);
        CHECK(get_string(*find_member(result.records[i], "source"), "url") == kInput.url);
        CHECK(get_string(*find_member(result.records[i], "source"), "fetched_at") == kInput.fetched_at);
      }
      ++files;
      studies += expected.size();
    }
  }
  CHECK(files >= 30);
  MESSAGE(files, " corpus files, ", studies, " studies checked");
}

TEST_CASE("parse ctgov v2 json: spot values of known corpus studies") {
  if (!have_corpus()) {
    MESSAGE("corpus not found; skipped");
    return;
  }
  // Independent of the JSON-derived checks: literal values read off the files by hand.
  auto result = parse_ctgov_v2_json(read_text(corpus_dir() / "ctgov-v2" / "ctrdata__NCT01505608.json"), kInput);
  REQUIRE(result.records.size() == 1);
  const JsonValue& r = result.records[0];
  CHECK(got(r, "nct_id") == Opt("NCT01505608"));
  CHECK(got_list(r, "phases") == std::vector<std::string>{"PHASE1", "PHASE2"});
  CHECK(got_list(r, "conditions") == std::vector<std::string>{"Neuroblastoma"});  // unboxed string
  CHECK(got(*find_member(r, "enrollment"), "count") == Opt("14"));
  CHECK(got(*find_member(r, "enrollment"), "type") == Opt("ACTUAL"));
  CHECK(got(*find_member(r, "responsible_party"), "type") == Opt("SPONSOR_INVESTIGATOR"));
  CHECK(got(*find_member(r, "responsible_party"), "name") == Opt("Giselle Sholler"));
  CHECK(find_member(r, "has_results")->IsBool());
}

TEST_CASE("parse ctgov v2 json: a page with a study lacking its NCT ID keeps the others") {
  std::string middle = study_json("", "No ID here");
  std::string page = str_cat(R"({"studies": [)", study_json("NCT00000001", "First"), ",\n  ", middle, ", ",
                             study_json("NCT00000003", "Third"), R"(], "nextPageToken": "abc", "totalCount": 3})");
  CtgovV2Result result = parse_ctgov_v2_json(page, kInput);
  REQUIRE(result.records.size() == 2);
  CHECK(got(result.records[0], "nct_id") == Opt("NCT00000001"));
  CHECK(got(result.records[1], "nct_id") == Opt("NCT00000003"));
  CHECK(got(result.records[1], "brief_title") == Opt("Third"));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].index == 1);
  CHECK(result.errors[0].offset == page.find(middle));
  CHECK(result.errors[0].message.find("NCT ID") != std::string::npos);

  // An unusable ID is reported with the ID.
  auto bad = parse_ctgov_v2_json(str_cat(R"({"studies": [)", study_json("NCT123", "Short"), "]}"), kInput);
  CHECK(bad.records.empty());
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].nct_id == Opt("NCT123"));

  // A study that is malformed inside a well-delimited page is that study's error only.
  std::string broken = R"({"protocolSection": {"identificationModule": {"nctId": tru}}})";
  auto partly = parse_ctgov_v2_json(str_cat(R"({"studies": [)", study_json("NCT00000001", "A"), ",", broken, ",",
                                            R"("not a study"]})"),
                                    kInput);
  CHECK(partly.records.size() == 1);
  CHECK(partly.errors.size() == 2);

  // The callback form reports the same, in page order.
  std::vector<std::string> seen;
  for_each_ctgov_v2_study(
      page, kInput, [&](JsonDocument&& r) { seen.push_back(get_string_or(r, "nct_id", "?")); },
      [&](CtgovV2StudyError&& e) { seen.push_back(str_cat("error ", e.index)); });
  CHECK(seen == std::vector<std::string>{"NCT00000001", "error 1", "NCT00000003"});
}

TEST_CASE("parse ctgov v2 json: malformed pages throw with the offset") {
  auto throws_at = [](const std::string& text) {
    try {
      parse_ctgov_v2_json(text, kInput);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string truncated = str_cat(R"({"studies": [)", study_json("NCT00000001", "A"), R"(, {"protocolSection": {)");
  CHECK(throws_at(truncated).find("offset") != std::string::npos);
  CHECK(throws_at(R"({"protocolSection": {"identificationModule": {"nctId": "NCT00000001",}}})").find("offset 69") !=
        std::string::npos);
  CHECK(throws_at(R"({"studies": [], "nextPageToken": "x}")").find("offset") != std::string::npos);
  CHECK(throws_at(R"({"studies": [{"a": "unterminated}]})").find("offset 19") != std::string::npos);
  CHECK(throws_at(R"({"studies": [}]})").find("offset 13") != std::string::npos);
  CHECK(throws_at(R"({"studies": [{"a":1} {"b":2}]})").find("offset 21") != std::string::npos);
  CHECK(throws_at(R"({"studies": []} trailing)").find("offset 16") != std::string::npos);
  CHECK(throws_at(R"({"studies": {}})").find("not an array") != std::string::npos);
  CHECK(throws_at(R"({"status": "ok"})").find("protocolSection") != std::string::npos);
  CHECK(throws_at(R"("just a string")").find("offset 0") != std::string::npos);
  CHECK(throws_at("").find("empty") != std::string::npos);
  CHECK(throws_at(std::string(100000, '[')).find("deep") != std::string::npos);
  // A truncated page yields nothing rather than a silent part.
  size_t emitted = 0;
  CHECK_THROWS_AS(for_each_ctgov_v2_study(
                      truncated, kInput, [&](JsonDocument&&) { ++emitted; }, [](CtgovV2StudyError&&) {}),
                  Error);
  CHECK(emitted == 0);
}

TEST_CASE("parse ctgov v2 json: values of the wrong JSON type are skipped with warnings") {
  std::string study = R"({
    "protocolSection": {
      "identificationModule": {"nctId": "NCT00000042", "briefTitle": 17, "officialTitle": "Kept",
                               "secondaryIdInfos": {"id": "x"}, "orgStudyIdInfo": "ORG-1"},
      "statusModule": [],
      "sponsorCollaboratorsModule": {"leadSponsor": {"name": ["A"], "class": "INDUSTRY"},
                                     "collaborators": [1, {"name": "Helper", "class": null}]},
      "conditionsModule": {"conditions": {"a": 1}, "keywords": ["ok", 5, null]},
      "designModule": {"phases": 3, "enrollmentInfo": {"count": true, "type": "ESTIMATED"},
                       "designInfo": {"maskingInfo": "NONE", "allocation": "RANDOMIZED"}},
      "armsInterventionsModule": {"armGroups": "Arm A", "interventions": [{"name": "Drug X", "otherNames": 4}]},
      "outcomesModule": {"primaryOutcomes": [{"measure": {"m": 1}, "timeFrame": "1 year"}]},
      "eligibilityModule": {"healthyVolunteers": 0, "sex": "ALL", "minimumAge": 18},
      "contactsLocationsModule": {"locations": [1, {"facility": 5, "city": "Boston", "contacts": {"name": "x"}}],
                                  "centralContacts": "nobody", "overallOfficials": [{"name": "Dr A", "role": 2}]}
    },
    "derivedSection": {"conditionBrowseModule": {"meshes": [{"term": 1}, {"term": "Asthma"}]}},
    "hasResults": "no"
  })";
  CtgovV2Result result = parse_ctgov_v2_json(study, kInput);
  REQUIRE(result.records.size() == 1);
  CHECK(result.errors.empty());
  const JsonValue& r = result.records[0];
  CHECK(got(r, "nct_id") == Opt("NCT00000042"));
  CHECK(find_member(r, "brief_title")->IsNull());
  CHECK(got(r, "official_title") == Opt("Kept"));
  CHECK(find_member(r, "org_study_id")->IsNull());
  CHECK(got_list(r, "secondary_ids").empty());
  CHECK(find_member(r, "overall_status")->IsNull());
  CHECK(got(*find_member(r, "lead_sponsor"), "class") == Opt("INDUSTRY"));
  CHECK(find_member(*find_member(r, "lead_sponsor"), "name")->IsNull());
  CHECK(got_array(r, "collaborators").Size() == 1);
  CHECK(got_list(r, "conditions").empty());
  CHECK(got_list(r, "keywords") == std::vector<std::string>{"ok"});
  CHECK(find_member(r, "phases")->IsNull());
  CHECK(find_member(r, "enrollment")->IsNull());  // no count, so no enrollment
  CHECK(find_member(r, "masking")->IsNull());
  CHECK(got(r, "allocation") == Opt("RANDOMIZED"));
  CHECK(got_array(r, "arms").Size() == 0);
  REQUIRE(got_array(r, "interventions").Size() == 1);
  CHECK(got_list(got_array(r, "interventions")[0], "other_names").empty());
  REQUIRE(got_array(r, "primary_outcomes").Size() == 1);
  CHECK(find_member(got_array(r, "primary_outcomes")[0], "measure")->IsNull());
  CHECK(find_member(r, "healthy_volunteers")->IsNull());
  CHECK(find_member(r, "minimum_age")->IsNull());
  CHECK(got(r, "sex") == Opt("ALL"));
  REQUIRE(got_array(r, "locations").Size() == 1);
  CHECK(find_member(got_array(r, "locations")[0], "facility")->IsNull());
  CHECK(got(got_array(r, "locations")[0], "city") == Opt("Boston"));
  CHECK(got_array(got_array(r, "locations")[0], "contacts").Size() == 0);
  CHECK(got_array(r, "central_contacts").Size() == 0);
  REQUIRE(got_array(r, "overall_officials").Size() == 1);
  CHECK(find_member(got_array(r, "overall_officials")[0], "role")->IsNull());
  CHECK(got_list(r, "mesh_terms") == std::vector<std::string>{"Asthma"});
  CHECK(got(r, "has_results") == Opt("no"));  // a string flag is kept raw
  CHECK(has_warning(r, "protocolSection.identificationModule.briefTitle is a number, expected a string"));
  CHECK(has_warning(r, "protocolSection.statusModule is an array, expected an object"));
  CHECK(has_warning(r, "protocolSection.designModule.phases is a number"));
  CHECK(has_warning(r, "enrollmentInfo.count is a boolean"));
  CHECK(has_warning(r, "armGroups is a string, expected an array"));
  CHECK(has_warning(r, "locations[] is a number, expected an object"));
  CHECK(has_warning(r, "healthyVolunteers is a number"));
  CHECK(got_array(r, "parse_warnings").Size() >= 18);
}

TEST_CASE("parse ctgov v2 json: other page shapes") {
  // A bare array of studies, a byte-order mark, an empty page of studies.
  auto bare = parse_ctgov_v2_json(str_cat("\xEF\xBB\xBF[", study_json("NCT00000001", "A"), ",",
                                          study_json("NCT00000002", "B"), "]\n"),
                                  kInput);
  CHECK(bare.records.size() == 2);
  auto empty = parse_ctgov_v2_json(R"({"studies": [], "totalCount": 0})", kInput);
  CHECK(empty.records.empty());
  CHECK(empty.errors.empty());
  // A single study without an NCT ID is an error, not a throw...
  auto single = parse_ctgov_v2_json(study_json("", "T"), kInput);
  CHECK(single.records.empty());
  CHECK(single.errors.size() == 1);
  // ...unless the listing or the URL says which trial the single study is, as for HTML pages.
  PageInput listed = make_input({}, {});
  listed.nct_id = "NCT00000077";
  auto from_listing = parse_ctgov_v2_json(study_json("", "T"), listed);
  REQUIRE(from_listing.records.size() == 1);
  CHECK(got(from_listing.records[0], "nct_id") == Opt("NCT00000077"));
  CHECK(has_warning(from_listing.records[0], "listing"));
  auto from_url = parse_ctgov_v2_json(study_json("", "T"),
                                      make_input("https://clinicaltrials.gov/api/v2/studies/NCT00000078", {}));
  REQUIRE(from_url.records.size() == 1);
  CHECK(got(from_url.records[0], "nct_id") == Opt("NCT00000078"));
  // Never for a study of a page of several: the context names the page, not that study.
  auto paged = parse_ctgov_v2_json(str_cat(R"({"studies": [)", study_json("", "T"), "]}"), listed);
  CHECK(paged.records.empty());
  CHECK(paged.errors.size() == 1);
  // Enrollment as a float or a string keeps its text; invalid UTF-8 is repaired with a warning.
  auto odd = parse_ctgov_v2_json(
      R"({"protocolSection": {"identificationModule": {"nctId": "NCT00000009", "briefTitle": "Caf)"
      "\xE9"
      R"("}, "designModule": {"enrollmentInfo": {"count": 44.0}}}})",
      kInput);
  REQUIRE(odd.records.size() == 1);
  CHECK(got(*find_member(odd.records[0], "enrollment"), "count") == Opt("44"));
  CHECK(is_valid_utf8(to_json(odd.records[0])));
  CHECK(has_warning(odd.records[0], "UTF-8"));
  auto text_count = parse_ctgov_v2_json(
      R"({"protocolSection": {"identificationModule": {"nctId": "NCT00000009"}, "designModule": {"enrollmentInfo": {"count": "120"}}}})",
      kInput);
  CHECK(got(*find_member(text_count.records[0], "enrollment"), "count") == Opt("120"));
  // Legacy responsible-party fields, and the expanded-access record a study links to.
  auto legacy = parse_ctgov_v2_json(R"({"protocolSection": {
      "identificationModule": {"nctId": "NCT00000010"},
      "statusModule": {"expandedAccessInfo": {"hasExpandedAccess": true, "nctId": "NCT00000011"}},
      "sponsorCollaboratorsModule": {"responsibleParty": {"oldNameTitle": "Jane Roe, MD", "oldOrganization": "Acme U"}}}})",
                                    kInput);
  REQUIRE(legacy.records.size() == 1);
  const JsonValue* party = find_member(legacy.records[0], "responsible_party");
  CHECK(find_member(*party, "type")->IsNull());
  CHECK(got(*party, "name") == Opt("Jane Roe, MD"));
  CHECK(got(*party, "affiliation") == Opt("Acme U"));
  CHECK(got_list(legacy.records[0], "related_nct_ids") == std::vector<std::string>{"NCT00000011"});
  // Unknown url and fetched_at are null.
  auto bare_input = parse_ctgov_v2_json(study_json("NCT00000001", "A"), make_input({}, {}));
  const JsonValue* source = find_member(bare_input.records[0], "source");
  CHECK(find_member(*source, "url")->IsNull());
  CHECK(find_member(*source, "fetched_at")->IsNull());
  CHECK(got(*source, "format") == Opt("ctgov-v2-json"));
}

TEST_CASE("parse ctgov v2 json: a large page gives one record per study") {
  // A corpus study when there is one (a realistic size), a synthetic one otherwise.
  std::string study = study_json("NCT04207047", "Synthetic");
  if (have_corpus()) study = read_text(corpus_dir() / "ctgov-v2" / "aact__NCT04207047.json");
  constexpr size_t kCopies = 2000;
  std::string page = R"({"studies": [)";
  page.reserve(kCopies * (study.size() + 2) + 64);
  for (size_t i = 0; i < kCopies; ++i) {
    if (i) page += ",\n";
    page += study;
  }
  page += R"(], "nextPageToken": "NF0g5JGBlPMs"})";
  size_t records = 0, errors = 0;
  bool ids_ok = true;
  for_each_ctgov_v2_study(
      page, kInput,
      [&](JsonDocument&& r) {
        ++records;
        ids_ok = ids_ok && get_string(r, "nct_id") == Opt("NCT04207047");
      },
      [&](CtgovV2StudyError&&) { ++errors; });
  CHECK(records == kCopies);
  CHECK(errors == 0);
  CHECK(ids_ok);
}
