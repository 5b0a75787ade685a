#include "trialmill/record_model.hpp"

#include <algorithm>
#include <array>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

using SV = std::string_view;

constexpr std::array kOverallStatus = {
    SV{"NOT_YET_RECRUITING"}, SV{"RECRUITING"}, SV{"ENROLLING_BY_INVITATION"},
    SV{"ACTIVE_NOT_RECRUITING"}, SV{"SUSPENDED"}, SV{"TERMINATED"}, SV{"COMPLETED"},
    SV{"WITHDRAWN"}, SV{"AVAILABLE"}, SV{"NO_LONGER_AVAILABLE"}, SV{"TEMPORARILY_NOT_AVAILABLE"},
    SV{"APPROVED_FOR_MARKETING"}, SV{"WITHHELD"}, SV{"UNKNOWN"}};
constexpr std::array kPhase = {SV{"EARLY_PHASE1"}, SV{"PHASE1"}, SV{"PHASE2"},
                               SV{"PHASE3"},       SV{"PHASE4"}, SV{"NA"}};
constexpr std::array kStudyType = {SV{"INTERVENTIONAL"}, SV{"OBSERVATIONAL"},
                                   SV{"EXPANDED_ACCESS"}};
constexpr std::array kDateType = {SV{"ACTUAL"}, SV{"ESTIMATED"}};
constexpr std::array kAllocation = {SV{"RANDOMIZED"}, SV{"NON_RANDOMIZED"}, SV{"NA"}};
constexpr std::array kInterventionModel = {SV{"SINGLE_GROUP"}, SV{"PARALLEL"}, SV{"CROSSOVER"},
                                           SV{"FACTORIAL"}, SV{"SEQUENTIAL"}};
constexpr std::array kMasking = {SV{"NONE"}, SV{"SINGLE"}, SV{"DOUBLE"}, SV{"TRIPLE"},
                                 SV{"QUADRUPLE"}};
constexpr std::array kPrimaryPurpose = {
    SV{"TREATMENT"}, SV{"PREVENTION"}, SV{"DIAGNOSTIC"}, SV{"ECT"}, SV{"SUPPORTIVE_CARE"},
    SV{"SCREENING"}, SV{"HEALTH_SERVICES_RESEARCH"}, SV{"BASIC_SCIENCE"},
    SV{"DEVICE_FEASIBILITY"}, SV{"OTHER"}};
constexpr std::array kArmType = {SV{"EXPERIMENTAL"},      SV{"ACTIVE_COMPARATOR"},
                                 SV{"PLACEBO_COMPARATOR"}, SV{"SHAM_COMPARATOR"},
                                 SV{"NO_INTERVENTION"},    SV{"OTHER"}};
constexpr std::array kInterventionType = {
    SV{"DRUG"},       SV{"DEVICE"},     SV{"BIOLOGICAL"},         SV{"PROCEDURE"},
    SV{"RADIATION"},  SV{"BEHAVIORAL"}, SV{"GENETIC"},            SV{"DIETARY_SUPPLEMENT"},
    SV{"COMBINATION_PRODUCT"}, SV{"DIAGNOSTIC_TEST"}, SV{"OTHER"}};
constexpr std::array kSex = {SV{"ALL"}, SV{"FEMALE"}, SV{"MALE"}};
constexpr std::array kAgeUnit = {SV{"YEARS"}, SV{"MONTHS"},  SV{"WEEKS"},
                                 SV{"DAYS"},  SV{"HOURS"}, SV{"MINUTES"}};
constexpr std::array kSponsorClass = {SV{"NIH"},      SV{"FED"},     SV{"OTHER_GOV"},
                                      SV{"INDIV"},    SV{"INDUSTRY"}, SV{"NETWORK"},
                                      SV{"AMBIG"},    SV{"OTHER"},   SV{"UNKNOWN"}};
constexpr std::array kResponsiblePartyType = {SV{"SPONSOR"}, SV{"PRINCIPAL_INVESTIGATOR"},
                                              SV{"SPONSOR_INVESTIGATOR"}};
constexpr std::array kOfficialRole = {SV{"PRINCIPAL_INVESTIGATOR"}, SV{"STUDY_CHAIR"},
                                      SV{"STUDY_DIRECTOR"}};
constexpr std::array kSourceFormat = {kFormatCtgovJson, kFormatCtgovXml, kFormatCtgovArchive,
                                      kFormatCtgovHtml, kFormatVeeva,    kFormatMeddatax,
                                      kFormatTrialx,    kFormatGeneric};

using K = FieldKind;
using V = Vocabulary;
constexpr std::array kTrialFields = {
    FieldSpec{"nct_id", K::string},
    FieldSpec{"brief_title", K::string},
    FieldSpec{"official_title", K::string},
    FieldSpec{"acronym", K::string},
    FieldSpec{"org_study_id", K::string},
    FieldSpec{"secondary_ids", K::string_list},
    FieldSpec{"overall_status", K::enum_value, V::overall_status},
    FieldSpec{"phases", K::enum_list, V::phase},
    FieldSpec{"study_type", K::enum_value, V::study_type},
    FieldSpec{"brief_summary", K::string},
    FieldSpec{"detailed_description", K::string},
    FieldSpec{"conditions", K::string_list},
    FieldSpec{"keywords", K::string_list},
    FieldSpec{"mesh_terms", K::string_list},
    FieldSpec{"enrollment", K::enrollment},
    FieldSpec{"allocation", K::enum_value, V::allocation},
    FieldSpec{"intervention_model", K::enum_value, V::intervention_model},
    FieldSpec{"masking", K::enum_value, V::masking},
    FieldSpec{"primary_purpose", K::enum_value, V::primary_purpose},
    FieldSpec{"arms", K::object_list},
    FieldSpec{"interventions", K::object_list},
    FieldSpec{"primary_outcomes", K::object_list},
    FieldSpec{"secondary_outcomes", K::object_list},
    FieldSpec{"sex", K::enum_value, V::sex},
    FieldSpec{"minimum_age", K::age},
    FieldSpec{"maximum_age", K::age},
    FieldSpec{"min_age_years", K::number},
    FieldSpec{"max_age_years", K::number},
    FieldSpec{"healthy_volunteers", K::boolean},
    FieldSpec{"eligibility_criteria", K::string},
    FieldSpec{"inclusion_criteria", K::string_list},
    FieldSpec{"exclusion_criteria", K::string_list},
    FieldSpec{"start_date", K::dated},
    FieldSpec{"primary_completion_date", K::dated},
    FieldSpec{"completion_date", K::dated},
    FieldSpec{"first_posted", K::string},
    FieldSpec{"last_update_posted", K::string},
    FieldSpec{"last_verified", K::string},
    FieldSpec{"lead_sponsor", K::object},
    FieldSpec{"collaborators", K::object_list},
    FieldSpec{"responsible_party", K::object},
    FieldSpec{"overall_officials", K::object_list},
    FieldSpec{"central_contacts", K::object_list},
    FieldSpec{"locations", K::object_list},
    FieldSpec{"has_results", K::boolean},
    FieldSpec{"related_nct_ids", K::string_list},
};

class Checker {
 public:
  std::vector<std::string> problems;

  void enum_member(const JsonValue& obj, std::string_view path, std::string_view key,
                   Vocabulary vocabulary, bool required_non_null = false) {
    const JsonValue* v = find_member(obj, key);
    std::string where = str_cat(path, ".", key);
    if (!v || v->IsNull()) {
      if (required_non_null) fail(where, "is missing");
      return;
    }
    if (!v->IsString()) return fail(where, "is not a string");
    if (!in_vocabulary(vocabulary, v->GetString()))
      fail(where, str_cat("value \"", v->GetString(), "\" is not in ", vocabulary_name(vocabulary)));
  }

  void string_member(const JsonValue& obj, std::string_view path, std::string_view key) {
    const JsonValue* v = find_member(obj, key);
    if (v && !v->IsNull() && !v->IsString()) fail(str_cat(path, ".", key), "is not a string");
  }

  void string_list(const JsonValue* v, std::string_view where) {
    if (!v || !v->IsArray()) return fail(where, "is not an array");
    for (const auto& item : v->GetArray())
      if (!item.IsString()) return fail(where, "has a non-string element");
  }

  void field(const JsonValue& record, const FieldSpec& spec) {
    const JsonValue* v = find_member(record, spec.name);
    std::string where(spec.name);
    if (!v) return fail(where, "is missing");
    bool list = is_list_kind(spec.kind);
    if (list && !v->IsArray()) return fail(where, "is not an array (absent lists are [])");
    if (!list && v->IsNull()) return;
    switch (spec.kind) {
      case K::string:
        if (!v->IsString()) fail(where, "is not a string");
        break;
      case K::enum_value:
        if (!v->IsString()) return fail(where, "is not a string");
        if (!in_vocabulary(spec.vocabulary, v->GetString()))
          fail(where, str_cat("value \"", v->GetString(), "\" is not in ",
                              vocabulary_name(spec.vocabulary)));
        break;
      case K::enum_list:
        for (const auto& item : v->GetArray())
          if (!item.IsString() || !in_vocabulary(spec.vocabulary, item.GetString()))
            fail(where, str_cat("has a value outside ", vocabulary_name(spec.vocabulary)));
        break;
      case K::string_list:
        string_list(v, where);
        break;
      case K::boolean:
        if (!v->IsBool()) fail(where, "is not a boolean");
        break;
      case K::number:
        if (!v->IsNumber()) fail(where, "is not a number");
        break;
      case K::age: {
        const JsonValue* value = find_member(*v, "value");
        if (!value || !value->IsNumber()) fail(where, "has no numeric value");
        enum_member(*v, where, "unit", V::age_unit, true);
        break;
      }
      case K::dated: {
        auto date = get_string(*v, "date");
        if (!date || !is_iso_date(*date)) fail(where, "has no ISO 8601 date");
        enum_member(*v, where, "type", V::date_type);
        break;
      }
      case K::enrollment: {
        const JsonValue* count = find_member(*v, "count");
        if (!count || !count->IsInt64() || count->GetInt64() < 0)
          fail(where, "count is not a non-negative integer");
        enum_member(*v, where, "type", V::date_type);
        break;
      }
      case K::object:
      case K::object_list:
        if (list) {
          for (const auto& item : v->GetArray()) nested(spec.name, item);
        } else if (!v->IsObject()) {
          fail(where, "is not an object");
        } else {
          nested(spec.name, *v);
        }
        break;
    }
  }

  // Members of the nested objects that carry value sets.
  void nested(std::string_view name, const JsonValue& item) {
    std::string where(name);
    if (!item.IsObject()) return fail(where, "has a non-object element");
    if (name == "arms") {
      enum_member(item, where, "type", V::arm_type);
      string_list(find_member(item, "intervention_names"), where + ".intervention_names");
    } else if (name == "interventions") {
      enum_member(item, where, "type", V::intervention_type);
      string_member(item, where, "name");
      string_list(find_member(item, "other_names"), where + ".other_names");
    } else if (name == "lead_sponsor" || name == "collaborators") {
      string_member(item, where, "name");
      enum_member(item, where, "class", V::sponsor_class);
    } else if (name == "responsible_party") {
      enum_member(item, where, "type", V::responsible_party_type);
    } else if (name == "overall_officials") {
      enum_member(item, where, "role", V::official_role);
    } else if (name == "locations") {
      enum_member(item, where, "status", V::overall_status);
    }
  }

  static bool is_iso_date(std::string_view d) {
    // YYYY, YYYY-MM or YYYY-MM-DD.
    auto digits = [&](size_t from, size_t n) {
      for (size_t i = from; i < from + n; ++i)
        if (i >= d.size() || d[i] < '0' || d[i] > '9') return false;
      return true;
    };
    if (d.size() == 4) return digits(0, 4);
    if (d.size() == 7) return digits(0, 4) && d[4] == '-' && digits(5, 2);
    if (d.size() == 10) return digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' &&
                               digits(8, 2);
    return false;
  }

 private:
  void fail(std::string_view where, std::string_view what) {
    problems.push_back(str_cat(where, " ", what));
  }
};

}  // namespace

std::span<const std::string_view> vocabulary_values(Vocabulary vocabulary) {
  switch (vocabulary) {
    case V::none: return {};
    case V::overall_status: return kOverallStatus;
    case V::phase: return kPhase;
    case V::study_type: return kStudyType;
    case V::date_type: return kDateType;
    case V::allocation: return kAllocation;
    case V::intervention_model: return kInterventionModel;
    case V::masking: return kMasking;
    case V::primary_purpose: return kPrimaryPurpose;
    case V::arm_type: return kArmType;
    case V::intervention_type: return kInterventionType;
    case V::sex: return kSex;
    case V::age_unit: return kAgeUnit;
    case V::sponsor_class: return kSponsorClass;
    case V::responsible_party_type: return kResponsiblePartyType;
    case V::official_role: return kOfficialRole;
    case V::source_format: return kSourceFormat;
  }
  return {};
}

bool in_vocabulary(Vocabulary vocabulary, std::string_view value) {
  auto values = vocabulary_values(vocabulary);
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string_view vocabulary_name(Vocabulary vocabulary) {
  switch (vocabulary) {
    case V::none: return "none";
    case V::overall_status: return "overall_status";
    case V::phase: return "phase";
    case V::study_type: return "study_type";
    case V::date_type: return "date_type";
    case V::allocation: return "allocation";
    case V::intervention_model: return "intervention_model";
    case V::masking: return "masking";
    case V::primary_purpose: return "primary_purpose";
    case V::arm_type: return "arm_type";
    case V::intervention_type: return "intervention_type";
    case V::sex: return "sex";
    case V::age_unit: return "age_unit";
    case V::sponsor_class: return "sponsor_class";
    case V::responsible_party_type: return "responsible_party_type";
    case V::official_role: return "official_role";
    case V::source_format: return "source_format";
  }
  return "?";
}

std::span<const FieldSpec> trial_fields() { return kTrialFields; }

const FieldSpec* find_trial_field(std::string_view name) {
  for (const auto& spec : kTrialFields)
    if (spec.name == name) return &spec;
  return nullptr;
}

JsonDocument empty_trial_record() {
  JsonDocument doc;
  doc.SetObject();
  auto& alloc = doc.GetAllocator();
  for (const auto& spec : kTrialFields)
    doc.AddMember(make_string(spec.name, alloc),
                  JsonValue(is_list_kind(spec.kind) ? rapidjson::kArrayType : rapidjson::kNullType), alloc);
  return doc;
}

std::vector<std::string> validate_trial_record(const JsonValue& record) {
  Checker checker;
  if (!record.IsObject()) return {"record is not a JSON object"};
  auto nct = get_string(record, "nct_id");
  if (!nct || !is_nct_id(*nct) || *nct != to_upper(*nct))
    checker.problems.push_back("nct_id is missing or not NCT + 8 digits");
  for (const auto& spec : kTrialFields)
    if (spec.name != "nct_id") checker.field(record, spec);
  const JsonValue* source = find_member(record, "source");
  if (!source || !source->IsObject()) {
    checker.problems.push_back("source is missing");
  } else {
    checker.enum_member(*source, "source", "format", V::source_format, true);
  }
  return checker.problems;
}

}  // namespace trialmill
