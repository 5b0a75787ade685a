// Legacy <clinical_study> XML -> parsed record, streamed with libxml2's xmlTextReader. Values are
// the XML's own strings; the only assembly done here is what the XML spreads over elements (a
// person's name parts, an arm's interventions, the pre-2007 one-line <study_design>).
#include "trialmill/parse/ctgov_xml.hpp"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/parse/parsed_record.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

struct ReaderDeleter {
  void operator()(xmlTextReader* reader) const { xmlFreeTextReader(reader); }
};
using ReaderPtr = std::unique_ptr<xmlTextReader, ReaderDeleter>;

std::string_view as_view(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// libxml2 must be initialised once before threads use it (its global tables).
void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

// The first parse error of a document, kept for the message (libxml2 would print to stderr).
void keep_error(void* arg, const char* msg, xmlParserSeverities severity,
                xmlTextReaderLocatorPtr locator) {
  auto* out = static_cast<std::string*>(arg);
  if (severity != XML_PARSER_SEVERITY_ERROR || !out->empty()) return;
  *out = str_cat("line ", xmlTextReaderLocatorLineNumber(locator), ": ", trim(msg ? msg : "?"));
}

std::optional<std::string> value_of(std::string_view text) {
  std::string s = collapse_whitespace(text);
  if (s.empty()) return std::nullopt;
  return s;
}

// A person as the XML splits them: first/middle/last name and degrees.
struct NameParts {
  std::string first, middle, last, degrees;
  std::optional<std::string> full() const {
    std::string name;
    for (const std::string* part : {&first, &middle, &last})
      if (!part->empty()) name += (name.empty() ? "" : " ") + *part;
    if (!degrees.empty()) name += (name.empty() ? "" : ", ") + degrees;
    if (name.empty()) return std::nullopt;
    return name;
  }
};

struct PersonBuild {
  NameParts name;
  PersonRaw person;
  std::optional<std::string> phone_ext;
  PersonRaw done() {
    person.name = name.full();
    if (person.phone && phone_ext)
      *person.phone += " ext. " + *phone_ext;
    else if (!person.phone && phone_ext)
      person.phone = phone_ext;
    return person;
  }
};

struct InterventionBuild {
  InterventionRaw intervention;
  std::vector<std::string> arm_labels;
};

// The pre-2007 one-line design: "Allocation: Randomized, Masking: Double Blind (Subject,
// Investigator), Primary Purpose: Treatment". Commas inside parentheses belong to the value.
std::vector<std::pair<std::string, std::string>> split_study_design(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  int depth = 0;
  size_t start = 0;
  auto take = [&](size_t end) {
    std::string_view piece = trim(text.substr(start, end - start));
    size_t colon = piece.find(':');
    if (colon != std::string_view::npos)
      out.emplace_back(std::string(trim(piece.substr(0, colon))),
                       std::string(trim(piece.substr(colon + 1))));
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(')
      ++depth;
    else if (text[i] == ')' && depth > 0)
      --depth;
    else if (text[i] == ',' && depth == 0) {
      take(i);
      start = i + 1;
    }
  }
  take(text.size());
  return out;
}

class StudyReader {
 public:
  explicit StudyReader(ParsedRecord& record) : record_(record) {}

  void read(xmlTextReader* reader) {
    int rc;
    while ((rc = xmlTextReaderRead(reader)) == 1) {
      switch (xmlTextReaderNodeType(reader)) {
        case XML_READER_TYPE_ELEMENT: {
          std::string_view name = as_view(xmlTextReaderConstLocalName(reader));
          if (path_.empty() && name != "clinical_study")
            throw make_error("XML root is <", name, ">, not <clinical_study>");
          if (name == "clinical_results" && path_.size() == 1) {
            // Results are not part of the record; only that they are posted is.
            record_.set_bool("has_results", true);
            has_results_ = true;
            if (xmlTextReaderIsEmptyElement(reader)) continue;
            // Next() skips the section unparsed into DOM and stands on the node after it.
            int next = xmlTextReaderNext(reader);
            if (next < 0) throw make_error("malformed XML");
            if (next == 0) break;
            handle_current(reader);
            continue;
          }
          start_element(reader, name);
          break;
        }
        case XML_READER_TYPE_END_ELEMENT:
          end_element();
          break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          text_ += as_view(xmlTextReaderConstValue(reader));
          break;
        default:
          break;
      }
    }
    if (rc < 0) throw make_error("malformed XML");
    finish();
  }

 private:
  // After xmlTextReaderNext() the reader stands on a node not yet seen by the loop.
  void handle_current(xmlTextReader* reader) {
    switch (xmlTextReaderNodeType(reader)) {
      case XML_READER_TYPE_ELEMENT:
        start_element(reader, as_view(xmlTextReaderConstLocalName(reader)));
        break;
      case XML_READER_TYPE_END_ELEMENT:
        end_element();
        break;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
        text_ += as_view(xmlTextReaderConstValue(reader));
        break;
      default:
        break;
    }
  }

  void start_element(xmlTextReader* reader, std::string_view name) {
    path_.emplace_back(name);
    text_.clear();
    type_attr_.reset();
    if (xmlChar* type =
            xmlTextReaderGetAttribute(reader, reinterpret_cast<const xmlChar*>("type"))) {
      type_attr_ = value_of(as_view(type));
      xmlFree(type);
    }
    begin(name);
    if (xmlTextReaderIsEmptyElement(reader)) end_element();
  }

  std::string_view at(size_t up) const {
    return up < path_.size() ? std::string_view(path_[path_.size() - 1 - up]) : std::string_view();
  }

  void begin(std::string_view name) {
    std::string_view parent = at(1);
    if (name == "location" && parent == "clinical_study")
      location_.emplace();
    else if (name == "arm_group" && parent == "clinical_study")
      arm_.emplace();
    else if (name == "intervention" && parent == "clinical_study")
      intervention_.emplace();
    else if ((name == "primary_outcome" || name == "secondary_outcome") &&
             parent == "clinical_study")
      outcome_.emplace();
    else if (name == "lead_sponsor" || name == "collaborator")
      sponsor_name_.reset(), sponsor_class_.reset();
    else if (name == "overall_official" || name == "overall_contact" ||
             name == "overall_contact_backup" ||
             (parent == "location" &&
              (name == "contact" || name == "contact_backup" || name == "investigator")))
      person_.emplace();
  }

  void end_element() {
    if (path_.empty()) return;
    const std::string name = path_.back();
    std::optional<std::string> value = value_of(text_);
    std::string_view parent = at(1);
    if (name == "textblock")
      textblock(parent, at(2));
    else if (parent == "clinical_study")
      top_level(name, value);
    else if (parent == "id_info")
      id_info(name, value);
    else if (parent == "lead_sponsor" || parent == "collaborator") {
      if (name == "agency")
        sponsor_name_ = value;
      else if (name == "agency_class")
        sponsor_class_ = value;
    } else if (parent == "sponsors") {
      if (name == "lead_sponsor")
        record_.set_sponsor("lead_sponsor", sponsor_name_, sponsor_class_);
      else if (name == "collaborator" && (sponsor_name_ || sponsor_class_))
        record_.add_collaborator(sponsor_name_, sponsor_class_);
    } else if (parent == "responsible_party")
      responsible_party(name, value);
    else if (parent == "study_design_info")
      design(name, value);
    else if (parent == "eligibility")
      eligibility(name, value);
    else if (parent == "condition_browse" && name == "mesh_term") {
      if (value) record_.add_to_list("mesh_terms", *value);
    } else if (parent == "arm_group" && arm_)
      arm(name, value);
    else if (parent == "intervention" && intervention_)
      intervention(name, value);
    else if ((parent == "primary_outcome" || parent == "secondary_outcome") && outcome_)
      outcome(name, value);
    else if (person_ && (parent == "overall_official" || parent == "overall_contact" ||
                         parent == "overall_contact_backup" || parent == "contact" ||
                         parent == "contact_backup" || parent == "investigator"))
      person(name, value);
    else if (location_ && parent == "facility" && name == "name")
      location_->facility = value;
    else if (location_ && parent == "address")
      address(name, value);
    else if (location_ && parent == "location")
      location(name, value);
    path_.pop_back();
    text_.clear();
  }

  void textblock(std::string_view block, std::string_view grand) {
    // Summaries are prose wrapped at 70 columns by the export: unwrapped into paragraphs. The
    // criteria keep their lines (normalize reads their bullets and indentation).
    if (block == "brief_summary" && grand == "clinical_study")
      record_.set("brief_summary", block_value(true));
    else if (block == "detailed_description" && grand == "clinical_study")
      record_.set("detailed_description", block_value(true));
    else if (block == "criteria" && grand == "eligibility")
      record_.set("eligibility_criteria", block_value(false));
  }

  std::optional<std::string> block_value(bool reflow) {
    std::string s = textblock_value(text_, reflow);
    if (s.empty()) return std::nullopt;
    return s;
  }

  void top_level(const std::string& name, const std::optional<std::string>& value) {
    static constexpr std::pair<std::string_view, std::string_view> kPlain[] = {
        {"brief_title", "brief_title"},
        {"official_title", "official_title"},
        {"acronym", "acronym"},
        {"overall_status", "overall_status"},
        {"study_type", "study_type"},
        {"phase", "phases"},
        {"verification_date", "last_verified"}};
    for (auto [element, field] : kPlain)
      if (name == element) return record_.set(field, value);
    if (name == "start_date" || name == "primary_completion_date" || name == "completion_date")
      return record_.set_typed(name, "date", value, value ? type_attr_ : std::nullopt);
    if (name == "enrollment")
      return record_.set_typed("enrollment", "count", value, value ? type_attr_ : std::nullopt);
    if (name == "condition") return add("conditions", value);
    if (name == "keyword") return add("keywords", value);
    if (name == "study_first_posted") return record_.set("first_posted", value);
    if (name == "last_update_posted") return record_.set("last_update_posted", value);
    // Before 2017 the export named the dates after the submission ("first received", "last
    // changed"), which the registry showed as the posting dates of that time.
    if (name == "firstreceived_date") {
      first_received_ = value;
      return;
    }
    if (name == "lastchanged_date") {
      last_changed_ = value;
      return;
    }
    if (name == "study_design" && value) {
      for (const auto& [key, v] : split_study_design(*value)) design_old(key, v);
      return;
    }
    if (name == "location" && location_) {
      record_.add_location(*location_);
      location_.reset();
    } else if (name == "arm_group" && arm_) {
      arms_.push_back(std::move(*arm_));
      arm_.reset();
    } else if (name == "intervention" && intervention_) {
      interventions_.push_back(std::move(*intervention_));
      intervention_.reset();
    } else if ((name == "primary_outcome" || name == "secondary_outcome") && outcome_) {
      if (outcome_->measure || outcome_->time_frame || outcome_->description)
        record_.add_outcome(name == "primary_outcome" ? "primary_outcomes" : "secondary_outcomes",
                            *outcome_);
      outcome_.reset();
    } else if ((name == "overall_official" || name == "overall_contact" ||
                name == "overall_contact_backup") &&
               person_) {
      PersonRaw p = person_->done();
      person_.reset();
      if (name == "overall_official") {
        if (p.name || p.role || p.affiliation) record_.add_official(p);
      } else if (p.name || p.phone || p.email) {
        record_.add_central_contact(p);
      }
    }
  }

  void add(std::string_view field, const std::optional<std::string>& value) {
    if (value) record_.add_to_list(field, *value);
  }

  void id_info(const std::string& name, const std::optional<std::string>& value) {
    if (name == "nct_id")
      record_.set("nct_id", value);
    else if (name == "org_study_id")
      record_.set("org_study_id", value);
    // An alias is an NCT ID the study was registered under twice: another identifier of it.
    else if (name == "secondary_id" || name == "nct_alias")
      add("secondary_ids", value);
  }

  void responsible_party(const std::string& name, const std::optional<std::string>& value) {
    if (name == "responsible_party_type")
      party_type_ = value;
    else if (name == "investigator_full_name" || name == "name_title")
      party_name_ = party_name_ ? party_name_ : value;
    else if (name == "investigator_affiliation" || name == "organization")
      party_affiliation_ = party_affiliation_ ? party_affiliation_ : value;
  }

  void design(const std::string& name, const std::optional<std::string>& value) {
    if (name == "allocation" || name == "intervention_model" || name == "primary_purpose" ||
        name == "masking")
      record_.set(name, value);
  }

  void design_old(std::string_view key, const std::string& value) {
    if (iequals(key, "Allocation"))
      record_.set("allocation", value);
    else if (iequals(key, "Intervention Model"))
      record_.set("intervention_model", value);
    else if (iequals(key, "Masking"))
      record_.set("masking", value);
    else if (iequals(key, "Primary Purpose"))
      record_.set("primary_purpose", value);
  }

  void eligibility(const std::string& name, const std::optional<std::string>& value) {
    if (name == "gender")
      record_.set("sex", value);
    else if (name == "minimum_age")
      record_.set("minimum_age", value);
    else if (name == "maximum_age")
      record_.set("maximum_age", value);
    else if (name == "healthy_volunteers")
      record_.set("healthy_volunteers", value);
  }

  void arm(const std::string& name, const std::optional<std::string>& value) {
    if (name == "arm_group_label")
      arm_->label = value;
    else if (name == "arm_group_type")
      arm_->type = value;
    else if (name == "description")
      arm_->description = value;
  }

  void intervention(const std::string& name, const std::optional<std::string>& value) {
    InterventionRaw& i = intervention_->intervention;
    if (name == "intervention_type")
      i.type = value;
    else if (name == "intervention_name")
      i.name = value;
    else if (name == "description")
      i.description = value;
    else if (name == "other_name" && value)
      i.other_names.push_back(*value);
    else if (name == "arm_group_label" && value)
      intervention_->arm_labels.push_back(*value);
  }

  void outcome(const std::string& name, const std::optional<std::string>& value) {
    if (name == "measure")
      outcome_->measure = value;
    else if (name == "time_frame")
      outcome_->time_frame = value;
    else if (name == "description")
      outcome_->description = value;
  }

  void person(const std::string& name, const std::optional<std::string>& value) {
    if (!value) return;
    if (name == "first_name")
      person_->name.first = *value;
    else if (name == "middle_name")
      person_->name.middle = *value;
    else if (name == "last_name")
      person_->name.last = *value;
    else if (name == "degrees")
      person_->name.degrees = *value;
    else if (name == "role")
      person_->person.role = value;
    else if (name == "affiliation")
      person_->person.affiliation = value;
    else if (name == "phone")
      person_->person.phone = value;
    else if (name == "phone_ext")
      person_->phone_ext = value;
    else if (name == "email")
      person_->person.email = value;
  }

  void address(const std::string& name, const std::optional<std::string>& value) {
    if (name == "city")
      location_->city = value;
    else if (name == "state")
      location_->state = value;
    else if (name == "zip")
      location_->zip = value;
    else if (name == "country")
      location_->country = value;
  }

  void location(const std::string& name, const std::optional<std::string>& value) {
    if (name == "status") {
      location_->status = value;
    } else if ((name == "contact" || name == "contact_backup" || name == "investigator") &&
               person_) {
      PersonRaw p = person_->done();
      person_.reset();
      if (p.name || p.phone || p.email) location_->contacts.push_back(std::move(p));
    }
  }

  void finish() {
    if (!record_.has("first_posted")) record_.set("first_posted", first_received_);
    if (!record_.has("last_update_posted")) record_.set("last_update_posted", last_changed_);
    if (party_type_ || party_name_ || party_affiliation_)
      record_.set_responsible_party(party_type_, party_name_, party_affiliation_);
    // An arm's interventions are named on the interventions (<arm_group_label>), as
    // "Type: Name" like the registry's arm table.
    for (ArmRaw& a : arms_) {
      for (const auto& i : interventions_) {
        if (!a.label ||
            std::find(i.arm_labels.begin(), i.arm_labels.end(), *a.label) == i.arm_labels.end())
          continue;
        if (!i.intervention.name) continue;
        std::string named = i.intervention.type ? *i.intervention.type + ": " + *i.intervention.name
                                                : *i.intervention.name;
        if (std::find(a.intervention_names.begin(), a.intervention_names.end(), named) ==
            a.intervention_names.end())
          a.intervention_names.push_back(std::move(named));
      }
      if (a.label || a.type || a.description) record_.add_arm(a);
    }
    for (const auto& i : interventions_)
      if (i.intervention.type || i.intervention.name || i.intervention.description)
        record_.add_intervention(i.intervention);
    // The export is a whole record: without a results section, none was posted.
    if (!has_results_) record_.set_bool("has_results", false);
  }

  ParsedRecord& record_;
  std::vector<std::string> path_;
  std::string text_;
  std::optional<std::string> type_attr_;
  bool has_results_ = false;
  std::optional<LocationRaw> location_;
  std::optional<ArmRaw> arm_;
  std::optional<InterventionBuild> intervention_;
  std::optional<OutcomeRaw> outcome_;
  std::optional<PersonBuild> person_;
  std::optional<std::string> sponsor_name_, sponsor_class_;
  std::optional<std::string> party_type_, party_name_, party_affiliation_;
  std::optional<std::string> first_received_, last_changed_;
  std::vector<ArmRaw> arms_;
  std::vector<InterventionBuild> interventions_;
};

size_t common_indent(const std::vector<std::string_view>& lines) {
  size_t indent = std::string_view::npos;
  for (auto line : lines) {
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    indent = std::min(indent, first);
  }
  return indent == std::string_view::npos ? 0 : indent;
}

bool starts_list_item(std::string_view line) {
  if (line.starts_with("- ") || line.starts_with("* ") || line.starts_with("• ") ||
      line.starts_with("o "))
    return true;
  size_t digits = 0;
  while (digits < line.size() && digits < 3 && line[digits] >= '0' && line[digits] <= '9') ++digits;
  return digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
         line[digits + 1] == ' ';
}

}  // namespace

std::string textblock_value(std::string_view text, bool reflow) {
  std::vector<std::string_view> lines;
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
  }
  size_t indent = common_indent(lines);
  std::string out;
  bool blank_pending = false;
  bool in_paragraph = false;
  for (auto line : lines) {
    std::string_view body = trim(line);
    if (body.empty()) {
      blank_pending = in_paragraph || blank_pending;
      in_paragraph = false;
      continue;
    }
    if (out.empty()) {
      blank_pending = false;
    } else if (blank_pending) {
      out += "\n\n";
      blank_pending = false;
    } else if (!reflow || starts_list_item(body)) {
      out += '\n';
    } else {
      out += ' ';
    }
    if (reflow) {
      out += body;
    } else {
      std::string_view kept = line.size() > indent ? line.substr(indent) : trim(line);
      while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\t')) kept.remove_suffix(1);
      out += kept;
    }
    in_paragraph = true;
  }
  return out;
}

bool looks_like_ctgov_xml(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 2048);
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  head = trim(head);
  if (!head.starts_with("<?xml") && !head.starts_with("<clinical_study") &&
      !head.starts_with("<!--"))
    return false;
  return head.find("<clinical_study") != std::string_view::npos;
}

JsonDocument parse_ctgov_xml(std::string_view bytes, const PageInput& input) {
  init_libxml();
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw make_error("XML too large");
  // No network, no external entities, no DTD loading: a hostile file cannot reach anything.
  ReaderPtr reader(xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                      nullptr,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!reader) throw make_error("cannot start the XML reader");
  std::string error;
  xmlTextReaderSetErrorHandler(reader.get(), keep_error, &error);
  ParsedRecord record;
  try {
    StudyReader(record).read(reader.get());
  } catch (const Error& e) {
    if (!error.empty()) throw make_error("malformed XML, ", error);
    throw;
  }
  if (!error.empty()) throw make_error("malformed XML, ", error);

  if (!record.has("nct_id")) {
    if (input.nct_id && is_nct_id(*input.nct_id)) {
      record.set("nct_id", to_upper(*input.nct_id));
      record.warn("nct_id taken from the listing, not shown in the XML");
    } else if (auto ids = input.url ? find_all_nct_ids(*input.url) : std::vector<std::string>{};
               ids.size() == 1) {
      record.set("nct_id", ids.front());
      record.warn("nct_id taken from the file's URL, not shown in the XML");
    }
  }
  auto nct = record.get("nct_id");
  if (!nct) throw make_error("no NCT ID in the <clinical_study> XML");
  if (!is_nct_id(*nct))
    throw make_error("the <clinical_study> XML's nct_id '", *nct, "' is not an NCT ID");

  auto& doc = record.doc();
  auto& a = doc.GetAllocator();
  JsonValue& source = doc["source"];
  set_string(source, "format", kFormatCtgovXml, a);
  set_optional_string(source, "url", input.url, a);
  set_optional_string(source, "fetched_at", input.fetched_at, a);
  set_string(source, "sha256", sha256_hex(bytes), a);
  return std::move(doc);
}

}  // namespace trialmill
