// One API v2 study object -> parsed record. Values are copied as the API gives them (its enums
// included); normalize does every mapping. Mistyped values are skipped with a warning, never fatal.
#include <array>
#include <cmath>
#include <string>

#include "trialmill/error.hpp"
#include "trialmill/parse/ctgov_v2_json.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

std::string_view type_name(const JsonValue& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsObject()) return "an object";
  if (v.IsArray()) return "an array";
  if (v.IsString()) return "a string";
  return "a number";
}

// The number as its decimal text; integral doubles lose the ".0" the writer would add.
std::string number_text(const JsonValue& v) {
  if (v.IsDouble()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
      return std::to_string(static_cast<long long>(d));
  }
  return to_json(v);
}

// A member's path for warnings ("protocolSection.statusModule.startDateStruct"), kept as its
// pieces and joined only when a warning is written: almost no study has a mistyped value.
class Path {
 public:
  Path() = default;
  Path(std::string_view first) { add(first); }  // NOLINT: paths are written as their text
  Path(const char* first) : Path(std::string_view(first)) {}
  Path then(std::string_view part) const {
    Path out = *this;
    out.add(part);
    return out;
  }
  bool empty() const { return n_ == 0; }
  std::string str() const {
    std::string out;
    for (size_t i = 0; i < n_; ++i) out += parts_[i];
    return out;
  }

 private:
  void add(std::string_view part) {
    if (!part.empty()) parts_[n_++] = part;  // never more than kMaxParts: see the callers
  }
  static constexpr size_t kMaxParts = 5;
  std::array<std::string_view, kMaxParts> parts_{};
  size_t n_ = 0;
};

class StudyMapper {
 public:
  explicit StudyMapper(ParsedRecord& record) : record_(record) {}

  void map(const JsonValue& study) {
    if (!study.IsObject()) {
      record_.warn(str_cat("study is ", type_name(study), ", not an object"));
      return;
    }
    if (const JsonValue* protocol = object(study, "protocolSection", "")) {
      constexpr std::string_view p = "protocolSection";
      if (const JsonValue* m = object(*protocol, "identificationModule", p)) identification(*m);
      if (const JsonValue* m = object(*protocol, "statusModule", p)) status(*m);
      if (const JsonValue* m = object(*protocol, "sponsorCollaboratorsModule", p)) sponsors(*m);
      if (const JsonValue* m = object(*protocol, "descriptionModule", p)) description(*m);
      if (const JsonValue* m = object(*protocol, "conditionsModule", p)) conditions(*m);
      if (const JsonValue* m = object(*protocol, "designModule", p)) design(*m);
      if (const JsonValue* m = object(*protocol, "armsInterventionsModule", p)) arms(*m);
      if (const JsonValue* m = object(*protocol, "outcomesModule", p)) outcomes(*m);
      if (const JsonValue* m = object(*protocol, "eligibilityModule", p)) eligibility(*m);
      if (const JsonValue* m = object(*protocol, "contactsLocationsModule", p)) contacts(*m);
    }
    if (const JsonValue* derived = object(study, "derivedSection", ""))
      if (const JsonValue* browse = object(*derived, "conditionBrowseModule", "derivedSection"))
        for (const JsonValue* mesh : objects(*browse, "meshes", "derivedSection.conditionBrowseModule"))
          if (auto term = string(*mesh, "term", "derivedSection.conditionBrowseModule.meshes[]"))
            record_.add_to_list("mesh_terms", *term);
    flag(study, "hasResults", "", "has_results");
  }

 private:
  static constexpr std::string_view kIdent = "protocolSection.identificationModule";
  static constexpr std::string_view kStatus = "protocolSection.statusModule";
  static constexpr std::string_view kSponsor = "protocolSection.sponsorCollaboratorsModule";
  static constexpr std::string_view kDesign = "protocolSection.designModule";
  static constexpr std::string_view kArms = "protocolSection.armsInterventionsModule";
  static constexpr std::string_view kOutcomes = "protocolSection.outcomesModule";
  static constexpr std::string_view kEligibility = "protocolSection.eligibilityModule";
  static constexpr std::string_view kContacts = "protocolSection.contactsLocationsModule";

  void identification(const JsonValue& m) {
    record_.set("nct_id", string(m, "nctId", kIdent));
    record_.set("brief_title", string(m, "briefTitle", kIdent));
    record_.set("official_title", string(m, "officialTitle", kIdent));
    record_.set("acronym", string(m, "acronym", kIdent));
    if (const JsonValue* org = object(m, "orgStudyIdInfo", kIdent))
      record_.set("org_study_id", string(*org, "id", Path(kIdent).then(".orgStudyIdInfo")));
    for (const JsonValue* info : objects(m, "secondaryIdInfos", kIdent))
      if (auto id = string(*info, "id", Path(kIdent).then(".secondaryIdInfos[]")))
        record_.add_to_list("secondary_ids", *id);
  }

  void status(const JsonValue& m) {
    record_.set("overall_status", string(m, "overallStatus", kStatus));
    dated(m, "startDateStruct", "start_date");
    dated(m, "primaryCompletionDateStruct", "primary_completion_date");
    dated(m, "completionDateStruct", "completion_date");
    date_only(m, "studyFirstPostDateStruct", "first_posted");
    date_only(m, "lastUpdatePostDateStruct", "last_update_posted");
    record_.set("last_verified", string(m, "statusVerifiedDate", kStatus));
    // An expanded-access record of the same drug is a trial this study links to.
    if (const JsonValue* access = object(m, "expandedAccessInfo", kStatus))
      if (auto nct = string(*access, "nctId", Path(kStatus).then(".expandedAccessInfo")); nct && is_nct_id(*nct))
        record_.add_to_list("related_nct_ids", *nct);
  }

  void dated(const JsonValue& m, std::string_view key, std::string_view field) {
    if (const JsonValue* s = object(m, key, kStatus)) {
      Path path = Path(kStatus).then(".").then(key);
      record_.set_typed(field, "date", string(*s, "date", path), string(*s, "type", path));
    }
  }

  void date_only(const JsonValue& m, std::string_view key, std::string_view field) {
    if (const JsonValue* s = object(m, key, kStatus))
      record_.set(field, string(*s, "date", Path(kStatus).then(".").then(key)));
  }

  void sponsors(const JsonValue& m) {
    if (const JsonValue* lead = object(m, "leadSponsor", kSponsor)) {
      Path path = Path(kSponsor).then(".leadSponsor");
      record_.set_sponsor("lead_sponsor", string(*lead, "name", path), string(*lead, "class", path));
    }
    Path cpath = Path(kSponsor).then(".collaborators[]");
    for (const JsonValue* c : objects(m, "collaborators", kSponsor)) {
      auto name = string(*c, "name", cpath);
      auto cls = string(*c, "class", cpath);
      if (name || cls) record_.add_collaborator(name, cls);
    }
    if (const JsonValue* rp = object(m, "responsibleParty", kSponsor)) {
      Path path = Path(kSponsor).then(".responsibleParty");
      // Records from before 2017 carry the party only in the legacy old* fields.
      auto name = string(*rp, "investigatorFullName", path);
      if (!name) name = string(*rp, "oldNameTitle", path);
      auto affiliation = string(*rp, "investigatorAffiliation", path);
      if (!affiliation) affiliation = string(*rp, "oldOrganization", path);
      record_.set_responsible_party(string(*rp, "type", path), name, affiliation);
    }
  }

  void description(const JsonValue& m) {
    constexpr std::string_view path = "protocolSection.descriptionModule";
    record_.set("brief_summary", string(m, "briefSummary", path));
    record_.set("detailed_description", string(m, "detailedDescription", path));
  }

  void conditions(const JsonValue& m) {
    constexpr std::string_view path = "protocolSection.conditionsModule";
    record_.set_list("conditions", strings(m, "conditions", path));
    record_.set_list("keywords", strings(m, "keywords", path));
  }

  void design(const JsonValue& m) {
    record_.set("study_type", string(m, "studyType", kDesign));
    record_.set_list("phases", strings(m, "phases", kDesign));
    if (const JsonValue* info = object(m, "designInfo", kDesign)) {
      Path path = Path(kDesign).then(".designInfo");
      record_.set("allocation", string(*info, "allocation", path));
      record_.set("intervention_model", string(*info, "interventionModel", path));
      record_.set("primary_purpose", string(*info, "primaryPurpose", path));
      if (const JsonValue* masking = object(*info, "maskingInfo", path))
        record_.set("masking", string(*masking, "masking", path.then(".maskingInfo")));
    }
    if (const JsonValue* info = object(m, "enrollmentInfo", kDesign)) {
      Path path = Path(kDesign).then(".enrollmentInfo");
      std::optional<std::string> count;
      if (const JsonValue* c = member(*info, "count")) {
        if (c->IsNumber()) count = number_text(*c);
        else if (c->IsString()) count = std::string(c->GetString(), c->GetStringLength());
        else mistyped(path, "count", *c, "a number");
      }
      record_.set_typed("enrollment", "count", count, string(*info, "type", path));
    }
  }

  void arms(const JsonValue& m) {
    Path apath = Path(kArms).then(".armGroups[]");
    for (const JsonValue* g : objects(m, "armGroups", kArms)) {
      ArmRaw arm{string(*g, "label", apath), string(*g, "type", apath), string(*g, "description", apath),
                 strings(*g, "interventionNames", apath)};
      if (arm.label || arm.type || arm.description || !arm.intervention_names.empty()) record_.add_arm(arm);
    }
    Path ipath = Path(kArms).then(".interventions[]");
    for (const JsonValue* i : objects(m, "interventions", kArms)) {
      InterventionRaw intervention{string(*i, "type", ipath), string(*i, "name", ipath),
                                   string(*i, "description", ipath), strings(*i, "otherNames", ipath)};
      if (intervention.type || intervention.name || intervention.description) record_.add_intervention(intervention);
    }
  }

  void outcomes(const JsonValue& m) {
    outcome_list(m, "primaryOutcomes", "primary_outcomes");
    outcome_list(m, "secondaryOutcomes", "secondary_outcomes");
  }

  void outcome_list(const JsonValue& m, std::string_view key, std::string_view field) {
    Path path = Path(kOutcomes).then(".").then(key).then("[]");
    for (const JsonValue* o : objects(m, key, kOutcomes)) {
      OutcomeRaw outcome{string(*o, "measure", path), string(*o, "timeFrame", path), string(*o, "description", path)};
      if (outcome.measure || outcome.time_frame || outcome.description) record_.add_outcome(field, outcome);
    }
  }

  void eligibility(const JsonValue& m) {
    // inclusion/exclusion stay null: normalize splits the criteria text by its headings.
    record_.set("eligibility_criteria", string(m, "eligibilityCriteria", kEligibility));
    record_.set("sex", string(m, "sex", kEligibility));
    record_.set("minimum_age", string(m, "minimumAge", kEligibility));
    record_.set("maximum_age", string(m, "maximumAge", kEligibility));
    flag(m, "healthyVolunteers", kEligibility, "healthy_volunteers");
  }

  void contacts(const JsonValue& m) {
    Path cpath = Path(kContacts).then(".centralContacts[]");
    for (const JsonValue* c : objects(m, "centralContacts", kContacts)) {
      PersonRaw person = contact(*c, cpath);
      if (person.name || person.role || person.phone || person.email) record_.add_central_contact(person);
    }
    Path opath = Path(kContacts).then(".overallOfficials[]");
    for (const JsonValue* o : objects(m, "overallOfficials", kContacts)) {
      PersonRaw person;
      person.name = string(*o, "name", opath);
      person.role = string(*o, "role", opath);
      person.affiliation = string(*o, "affiliation", opath);
      if (person.name || person.role || person.affiliation) record_.add_official(person);
    }
    Path lpath = Path(kContacts).then(".locations[]");
    Path lcpath = lpath.then(".contacts[]");
    for (const JsonValue* l : objects(m, "locations", kContacts)) {
      LocationRaw location;
      location.facility = string(*l, "facility", lpath);
      location.city = string(*l, "city", lpath);
      location.state = string(*l, "state", lpath);
      location.zip = string(*l, "zip", lpath);
      location.country = string(*l, "country", lpath);
      location.status = string(*l, "status", lpath);
      for (const JsonValue* c : objects(*l, "contacts", lpath)) {
        PersonRaw person = contact(*c, lcpath);
        if (person.name || person.role || person.phone || person.email) location.contacts.push_back(person);
      }
      record_.add_location(location);
    }
  }

  PersonRaw contact(const JsonValue& c, const Path& path) {
    PersonRaw person;
    person.name = string(c, "name", path);
    person.role = string(c, "role", path);
    person.phone = string(c, "phone", path);
    person.email = string(c, "email", path);
    return person;
  }

  // A boolean as the API gives it; a string (older exports: "Yes"/"No") is kept raw.
  void flag(const JsonValue& parent, std::string_view key, const Path& path, std::string_view field) {
    const JsonValue* v = member(parent, key);
    if (!v) return;
    if (v->IsBool()) record_.set_bool(field, v->GetBool());
    else if (v->IsString()) record_.set(field, std::string(v->GetString(), v->GetStringLength()));
    else mistyped(path, key, *v, "a boolean");
  }

  // ---- typed access: absent and null are silent, any other wrong type warns -------------------

  static const JsonValue* member(const JsonValue& parent, std::string_view key) {
    const JsonValue* v = find_member(parent, key);
    return v && !v->IsNull() ? v : nullptr;
  }

  void mistyped(const Path& path, std::string_view key, const JsonValue& v, std::string_view expected) {
    record_.warn(str_cat(path.str(), path.empty() ? "" : ".", key, " is ", type_name(v), ", expected ", expected,
                         "; skipped"));
  }

  const JsonValue* object(const JsonValue& parent, std::string_view key, const Path& path) {
    const JsonValue* v = member(parent, key);
    if (!v) return nullptr;
    if (v->IsObject()) return v;
    mistyped(path, key, *v, "an object");
    return nullptr;
  }

  // Blank strings count as absent, like on the HTML pages.
  std::optional<std::string> string(const JsonValue& parent, std::string_view key, const Path& path) {
    const JsonValue* v = member(parent, key);
    if (!v) return std::nullopt;
    if (!v->IsString()) {
      mistyped(path, key, *v, "a string");
      return std::nullopt;
    }
    std::string s(v->GetString(), v->GetStringLength());
    if (trim(s).empty()) return std::nullopt;
    return s;
  }

  // R exports (ctrdata, jsonlite) write an empty list as {} and unbox a one-element list to its
  // element: both are read as the list they stand for, without a warning.
  static bool is_empty_object(const JsonValue& v) { return v.IsObject() && v.MemberCount() == 0; }

  // A lone string stands for a one-element list (see above).
  std::vector<std::string> strings(const JsonValue& parent, std::string_view key, const Path& path) {
    std::vector<std::string> out;
    const JsonValue* v = member(parent, key);
    if (!v) return out;
    if (v->IsString()) {
      out.emplace_back(v->GetString(), v->GetStringLength());
    } else if (is_empty_object(*v)) {
      return out;
    } else if (v->IsArray()) {
      for (const auto& item : v->GetArray()) {
        if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
        else if (!item.IsNull()) mistyped(path, str_cat(key, "[]"), item, "a string");
      }
    } else {
      mistyped(path, key, *v, "an array of strings");
    }
    return out;
  }

  std::vector<const JsonValue*> objects(const JsonValue& parent, std::string_view key, const Path& path) {
    std::vector<const JsonValue*> out;
    const JsonValue* v = member(parent, key);
    if (!v || is_empty_object(*v)) return out;
    if (!v->IsArray()) {
      mistyped(path, key, *v, "an array");
      return out;
    }
    for (const auto& item : v->GetArray()) {
      if (item.IsObject()) out.push_back(&item);
      else if (!item.IsNull()) mistyped(path, str_cat(key, "[]"), item, "an object");
    }
    return out;
  }

  ParsedRecord& record_;
};

}  // namespace

void map_ctgov_v2_study(const JsonValue& study, ParsedRecord& record) { StudyMapper(record).map(study); }

}  // namespace trialmill
