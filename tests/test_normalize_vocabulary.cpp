// Vocabulary mapping: raw wordings from the seeds, the corpus and the API v2 enums.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "trialmill/normalize/vocabulary.hpp"
#include "trialmill/record_model.hpp"

using namespace trialmill;

namespace {

struct VocabRow {
  Vocabulary vocabulary;
  const char* raw;
  const char* expected;  // nullptr: unmapped
};

const VocabRow kVocabRows[] = {
    // overall_status
    {Vocabulary::overall_status, "RECRUITING", "RECRUITING"},
    {Vocabulary::overall_status, "Recruiting", "RECRUITING"},
    {Vocabulary::overall_status, "Not yet recruiting", "NOT_YET_RECRUITING"},
    {Vocabulary::overall_status, "Active, not recruiting", "ACTIVE_NOT_RECRUITING"},
    {Vocabulary::overall_status, "ACTIVE_NOT_RECRUITING", "ACTIVE_NOT_RECRUITING"},
    {Vocabulary::overall_status, "Enrolling by invitation", "ENROLLING_BY_INVITATION"},
    {Vocabulary::overall_status, "Unknown status", "UNKNOWN"},
    {Vocabulary::overall_status, "Unknown", "UNKNOWN"},
    {Vocabulary::overall_status, "Enrolling", "RECRUITING"},
    {Vocabulary::overall_status, "Not yet enrolling", "NOT_YET_RECRUITING"},
    {Vocabulary::overall_status, "Completed", "COMPLETED"},
    {Vocabulary::overall_status, "Terminated", "TERMINATED"},
    {Vocabulary::overall_status, "Withdrawn", "WITHDRAWN"},
    {Vocabulary::overall_status, "Suspended", "SUSPENDED"},
    {Vocabulary::overall_status, "No longer available", "NO_LONGER_AVAILABLE"},
    {Vocabulary::overall_status, "Temporarily not available", "TEMPORARILY_NOT_AVAILABLE"},
    {Vocabulary::overall_status, "Approved for marketing", "APPROVED_FOR_MARKETING"},
    {Vocabulary::overall_status, "Available", "AVAILABLE"},
    {Vocabulary::overall_status, "Withheld", "WITHHELD"},
    {Vocabulary::overall_status, "  recruiting  ", "RECRUITING"},
    {Vocabulary::overall_status, "Recruiting soon", nullptr},
    {Vocabulary::overall_status, "Open", nullptr},
    {Vocabulary::overall_status, "", nullptr},
    // study_type
    {Vocabulary::study_type, "Interventional", "INTERVENTIONAL"},
    {Vocabulary::study_type, "INTERVENTIONAL", "INTERVENTIONAL"},
    {Vocabulary::study_type, "Interventional  (Clinical Trial)", "INTERVENTIONAL"},
    {Vocabulary::study_type, "Observational", "OBSERVATIONAL"},
    {Vocabulary::study_type, "Observational [Patient Registry]", "OBSERVATIONAL"},
    {Vocabulary::study_type, "Expanded Access", "EXPANDED_ACCESS"},
    {Vocabulary::study_type, "EXPANDED_ACCESS", "EXPANDED_ACCESS"},
    {Vocabulary::study_type, "Registry study", nullptr},
    // allocation
    {Vocabulary::allocation, "Randomized", "RANDOMIZED"},
    {Vocabulary::allocation, "RANDOMIZED", "RANDOMIZED"},
    {Vocabulary::allocation, "Non-Randomized", "NON_RANDOMIZED"},
    {Vocabulary::allocation, "NON_RANDOMIZED", "NON_RANDOMIZED"},
    {Vocabulary::allocation, "N/A", "NA"},
    {Vocabulary::allocation, "NA", "NA"},
    {Vocabulary::allocation, "Not Applicable", "NA"},
    {Vocabulary::allocation, "Stratified", nullptr},
    // intervention_model
    {Vocabulary::intervention_model, "Parallel Assignment", "PARALLEL"},
    {Vocabulary::intervention_model, "Single Group Assignment", "SINGLE_GROUP"},
    {Vocabulary::intervention_model, "SINGLE_GROUP", "SINGLE_GROUP"},
    {Vocabulary::intervention_model, "Crossover Assignment", "CROSSOVER"},
    {Vocabulary::intervention_model, "CROSSOVER", "CROSSOVER"},
    {Vocabulary::intervention_model, "Factorial Assignment", "FACTORIAL"},
    {Vocabulary::intervention_model, "Sequential Assignment", "SEQUENTIAL"},
    {Vocabulary::intervention_model, "PARALLEL", "PARALLEL"},
    {Vocabulary::intervention_model, "Cohort", nullptr},
    // masking
    {Vocabulary::masking, "None (Open label)", "NONE"},
    {Vocabulary::masking, "None (Open Label)", "NONE"},
    {Vocabulary::masking, "NONE", "NONE"},
    {Vocabulary::masking, "Open Label", "NONE"},
    {Vocabulary::masking, "Double (Participant, Investigator)", "DOUBLE"},
    {Vocabulary::masking, "Single (Outcomes Assessor)", "SINGLE"},
    {Vocabulary::masking, "Triple (Participant, Care Provider, Investigator)", "TRIPLE"},
    {Vocabulary::masking, "QUADRUPLE", "QUADRUPLE"},
    {Vocabulary::masking, "Double-blind", "DOUBLE"},
    {Vocabulary::masking, "Blinded", nullptr},
    // primary_purpose
    {Vocabulary::primary_purpose, "Treatment", "TREATMENT"},
    {Vocabulary::primary_purpose, "TREATMENT", "TREATMENT"},
    {Vocabulary::primary_purpose, "Prevention", "PREVENTION"},
    {Vocabulary::primary_purpose, "Diagnostic", "DIAGNOSTIC"},
    {Vocabulary::primary_purpose, "Supportive Care", "SUPPORTIVE_CARE"},
    {Vocabulary::primary_purpose, "Screening", "SCREENING"},
    {Vocabulary::primary_purpose, "Health Services Research", "HEALTH_SERVICES_RESEARCH"},
    {Vocabulary::primary_purpose, "BASIC_SCIENCE", "BASIC_SCIENCE"},
    {Vocabulary::primary_purpose, "Device Feasibility", "DEVICE_FEASIBILITY"},
    {Vocabulary::primary_purpose, "Educational/Counseling/Training", "ECT"},
    {Vocabulary::primary_purpose, "Other", "OTHER"},
    {Vocabulary::primary_purpose, "Cure", nullptr},
    // arm_type
    {Vocabulary::arm_type, "Experimental group", "EXPERIMENTAL"},
    {Vocabulary::arm_type, "Experimental", "EXPERIMENTAL"},
    {Vocabulary::arm_type, "EXPERIMENTAL", "EXPERIMENTAL"},
    {Vocabulary::arm_type, "Active Comparator group", "ACTIVE_COMPARATOR"},
    {Vocabulary::arm_type, "Active Comparator", "ACTIVE_COMPARATOR"},
    {Vocabulary::arm_type, "ACTIVE_COMPARATOR", "ACTIVE_COMPARATOR"},
    {Vocabulary::arm_type, "Placebo Comparator", "PLACEBO_COMPARATOR"},
    {Vocabulary::arm_type, "PLACEBO_COMPARATOR", "PLACEBO_COMPARATOR"},
    {Vocabulary::arm_type, "Sham Comparator", "SHAM_COMPARATOR"},
    {Vocabulary::arm_type, "No Intervention", "NO_INTERVENTION"},
    {Vocabulary::arm_type, "No Intervention group", "NO_INTERVENTION"},
    {Vocabulary::arm_type, "Other", "OTHER"},
    {Vocabulary::arm_type, "Control group", nullptr},
    // intervention_type
    {Vocabulary::intervention_type, "Drug", "DRUG"},
    {Vocabulary::intervention_type, "DRUG", "DRUG"},
    {Vocabulary::intervention_type, "Biological", "BIOLOGICAL"},
    {Vocabulary::intervention_type, "Biologic", "BIOLOGICAL"},
    {Vocabulary::intervention_type, "Dietary Supplement", "DIETARY_SUPPLEMENT"},
    {Vocabulary::intervention_type, "Combination Product", "COMBINATION_PRODUCT"},
    {Vocabulary::intervention_type, "Diagnostic Test", "DIAGNOSTIC_TEST"},
    {Vocabulary::intervention_type, "Radiation", "RADIATION"},
    {Vocabulary::intervention_type, "RADIATION", "RADIATION"},
    {Vocabulary::intervention_type, "Device", "DEVICE"},
    {Vocabulary::intervention_type, "Procedure", "PROCEDURE"},
    {Vocabulary::intervention_type, "Procedure/Surgery", "PROCEDURE"},
    {Vocabulary::intervention_type, "Behavioral", "BEHAVIORAL"},
    {Vocabulary::intervention_type, "Genetic", "GENETIC"},
    {Vocabulary::intervention_type, "Other", "OTHER"},
    {Vocabulary::intervention_type, "Regimen", nullptr},
    // sex
    {Vocabulary::sex, "All", "ALL"},
    {Vocabulary::sex, "ALL", "ALL"},
    {Vocabulary::sex, "Both", "ALL"},
    {Vocabulary::sex, "Female", "FEMALE"},
    {Vocabulary::sex, "FEMALE", "FEMALE"},
    {Vocabulary::sex, "Male", "MALE"},
    {Vocabulary::sex, "All Genders", "ALL"},
    {Vocabulary::sex, "Unspecified", nullptr},
    // sponsor_class
    {Vocabulary::sponsor_class, "Other", "OTHER"},
    {Vocabulary::sponsor_class, "OTHER", "OTHER"},
    {Vocabulary::sponsor_class, "Industry", "INDUSTRY"},
    {Vocabulary::sponsor_class, "NIH", "NIH"},
    {Vocabulary::sponsor_class, "U.S. Fed", "FED"},
    {Vocabulary::sponsor_class, "Other U.S. Federal agency", "FED"},
    {Vocabulary::sponsor_class, "Individual", "INDIV"},
    {Vocabulary::sponsor_class, "INDIV", "INDIV"},
    {Vocabulary::sponsor_class, "Network", "NETWORK"},
    {Vocabulary::sponsor_class, "OTHER_GOV", "OTHER_GOV"},
    {Vocabulary::sponsor_class, "UNKNOWN", "UNKNOWN"},
    {Vocabulary::sponsor_class, "Academic", nullptr},
    // responsible_party_type
    {Vocabulary::responsible_party_type, "Sponsor", "SPONSOR"},
    {Vocabulary::responsible_party_type, "Principal Investigator", "PRINCIPAL_INVESTIGATOR"},
    {Vocabulary::responsible_party_type, "PRINCIPAL_INVESTIGATOR", "PRINCIPAL_INVESTIGATOR"},
    {Vocabulary::responsible_party_type, "Sponsor-Investigator", "SPONSOR_INVESTIGATOR"},
    {Vocabulary::responsible_party_type, "SPONSOR_INVESTIGATOR", "SPONSOR_INVESTIGATOR"},
    {Vocabulary::responsible_party_type, "Funder", nullptr},
    // official_role
    {Vocabulary::official_role, "Principal Investigator", "PRINCIPAL_INVESTIGATOR"},
    {Vocabulary::official_role, "Study Chair", "STUDY_CHAIR"},
    {Vocabulary::official_role, "Study Director", "STUDY_DIRECTOR"},
    {Vocabulary::official_role, "STUDY_DIRECTOR", "STUDY_DIRECTOR"},
    {Vocabulary::official_role, "Coordinator", nullptr},
    // date_type
    {Vocabulary::date_type, "Estimated", "ESTIMATED"},
    {Vocabulary::date_type, "Anticipated", "ESTIMATED"},
    {Vocabulary::date_type, "ESTIMATED", "ESTIMATED"},
    {Vocabulary::date_type, "Actual", "ACTUAL"},
    {Vocabulary::date_type, "ACTUAL", "ACTUAL"},
    {Vocabulary::date_type, "Planned start", nullptr},
};

}  // namespace

TEST_CASE("normalize: vocabulary table maps raw wordings to contract values") {
  for (const auto& row : kVocabRows) {
    CAPTURE(vocabulary_name(row.vocabulary));
    std::string raw_text = row.raw;
    CAPTURE(raw_text);
    auto mapped = map_vocabulary(row.vocabulary, row.raw);
    if (row.expected) {
      REQUIRE(mapped.has_value());
      CHECK(*mapped == row.expected);
      CHECK(in_vocabulary(row.vocabulary, *mapped));
    } else {
      CHECK_FALSE(mapped.has_value());
    }
  }
}

TEST_CASE("normalize: every contract enum value maps to itself") {
  for (auto vocabulary :
       {Vocabulary::overall_status, Vocabulary::study_type, Vocabulary::allocation,
        Vocabulary::intervention_model, Vocabulary::masking, Vocabulary::primary_purpose,
        Vocabulary::arm_type, Vocabulary::intervention_type, Vocabulary::sex,
        Vocabulary::sponsor_class, Vocabulary::responsible_party_type, Vocabulary::official_role}) {
    for (auto value : vocabulary_values(vocabulary)) {
      CAPTURE(value);
      auto mapped = map_vocabulary(vocabulary, value);
      REQUIRE(mapped.has_value());
      CHECK(*mapped == value);
    }
  }
}

namespace {

struct PhaseRow {
  const char* raw;
  std::vector<std::string> expected;
  bool mapped;
};

const PhaseRow kPhaseRows[] = {
    {"Phase 2", {"PHASE2"}, true},
    {"PHASE2", {"PHASE2"}, true},
    {"Phase 1/Phase 2", {"PHASE1", "PHASE2"}, true},
    {"Phase 1/2", {"PHASE1", "PHASE2"}, true},
    {"Phase 2/3", {"PHASE2", "PHASE3"}, true},
    {"PHASE1/PHASE2", {"PHASE1", "PHASE2"}, true},
    {"PHASE1, PHASE2", {"PHASE1", "PHASE2"}, true},
    {"PHASE2, PHASE1", {"PHASE1", "PHASE2"}, true},
    {"Early Phase 1", {"EARLY_PHASE1"}, true},
    {"EARLY_PHASE1", {"EARLY_PHASE1"}, true},
    {"N/A", {"NA"}, true},
    {"NA", {"NA"}, true},
    {"Not Applicable", {"NA"}, true},
    {"Phase 4", {"PHASE4"}, true},
    {"Phase II", {"PHASE2"}, true},
    {"Phase 3 Phase 3", {"PHASE3"}, true},
    {"Phase 5", {}, false},
    {"Pilot", {}, false},
    {"2", {}, false},
};

}  // namespace

TEST_CASE("normalize: phases from strings, in contract order, deduplicated") {
  for (const auto& row : kPhaseRows) {
    std::string raw_text = row.raw;
    CAPTURE(raw_text);
    auto phases = map_phases(std::string_view(row.raw));
    REQUIRE(phases.has_value() == row.mapped);
    if (row.mapped) CHECK(*phases == row.expected);
  }
}

TEST_CASE("normalize: phases from a list of API enums") {
  auto phases = map_phases(std::vector<std::string>{"PHASE2", "PHASE1", "PHASE2"});
  REQUIRE(phases.has_value());
  CHECK(*phases == std::vector<std::string>{"PHASE1", "PHASE2"});
  CHECK_FALSE(map_phases(std::vector<std::string>{"PHASE1", "PHASE9"}).has_value());
}
