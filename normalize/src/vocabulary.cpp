#include "trialmill/normalize/vocabulary.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "trialmill/text.hpp"

namespace trialmill {
namespace {

using SV = std::string_view;
using Alias = std::pair<SV, SV>;  // fold_key form -> enum value

// Registry wordings that do not fold to the enum's own name.
constexpr std::array kStatusAliases = {
    Alias{"unknown status", "UNKNOWN"},
    Alias{"enrolling", "RECRUITING"},
    Alias{"not yet enrolling", "NOT_YET_RECRUITING"},
    Alias{"active not enrolling", "ACTIVE_NOT_RECRUITING"},
    Alias{"no longer recruiting", "ACTIVE_NOT_RECRUITING"},
    Alias{"temporarily unavailable", "TEMPORARILY_NOT_AVAILABLE"},
    Alias{"no longer available for expanded access", "NO_LONGER_AVAILABLE"},
    Alias{"available for expanded access", "AVAILABLE"},
    Alias{"approved for marketing", "APPROVED_FOR_MARKETING"},
    // The 2013-2017 ClinicalTrials.gov page states the status as a sentence.
    Alias{"this study has been completed", "COMPLETED"},
    Alias{"this study has been terminated", "TERMINATED"},
    Alias{"this study has been withdrawn prior to enrollment", "WITHDRAWN"},
    Alias{"this study has been suspended", "SUSPENDED"},
    Alias{"this study is currently recruiting participants", "RECRUITING"},
    Alias{"this study is not yet open for participant recruitment", "NOT_YET_RECRUITING"},
    Alias{"this study is ongoing but not recruiting participants", "ACTIVE_NOT_RECRUITING"},
    Alias{"this study is enrolling participants by invitation only", "ENROLLING_BY_INVITATION"},
    Alias{"the recruitment status of this study is unknown", "UNKNOWN"},
};
constexpr std::array kStudyTypeAliases = {
    Alias{"interventional clinical trial", "INTERVENTIONAL"},
    Alias{"clinical trial", "INTERVENTIONAL"},
    Alias{"observational patient registry", "OBSERVATIONAL"},
    Alias{"patient registry", "OBSERVATIONAL"},
};
constexpr std::array kDateTypeAliases = {
    Alias{"anticipated", "ESTIMATED"},
    Alias{"expected", "ESTIMATED"},
    Alias{"estimate", "ESTIMATED"},
};
constexpr std::array kAllocationAliases = {
    Alias{"n a", "NA"},
    Alias{"not applicable", "NA"},
    Alias{"nonrandomized", "NON_RANDOMIZED"},
    Alias{"non randomised", "NON_RANDOMIZED"},
    Alias{"randomised", "RANDOMIZED"},
};
constexpr std::array kInterventionModelAliases = {
    Alias{"parallel assignment", "PARALLEL"},
    Alias{"single group assignment", "SINGLE_GROUP"},
    Alias{"single arm", "SINGLE_GROUP"},
    Alias{"crossover assignment", "CROSSOVER"},
    Alias{"cross over", "CROSSOVER"},
    Alias{"factorial assignment", "FACTORIAL"},
    Alias{"sequential assignment", "SEQUENTIAL"},
};
constexpr std::array kMaskingAliases = {
    Alias{"open label", "NONE"}, Alias{"no masking", "NONE"},
    Alias{"open", "NONE"},
    Alias{"none open label", "NONE"},
    Alias{"single blind", "SINGLE"},
    Alias{"double blind", "DOUBLE"},
    Alias{"triple blind", "TRIPLE"},
    Alias{"quadruple blind", "QUADRUPLE"},
};
constexpr std::array kPrimaryPurposeAliases = {
    Alias{"educational counseling training", "ECT"},
    Alias{"supportive", "SUPPORTIVE_CARE"},
};
constexpr std::array kArmTypeAliases = {
    Alias{"experimental group", "EXPERIMENTAL"},
    Alias{"experimental arm", "EXPERIMENTAL"},
    Alias{"active comparator group", "ACTIVE_COMPARATOR"},
    Alias{"active comparator arm", "ACTIVE_COMPARATOR"},
    Alias{"placebo comparator group", "PLACEBO_COMPARATOR"},
    Alias{"placebo comparator arm", "PLACEBO_COMPARATOR"},
    Alias{"sham comparator group", "SHAM_COMPARATOR"},
    Alias{"sham comparator arm", "SHAM_COMPARATOR"},
    Alias{"no intervention group", "NO_INTERVENTION"},
    Alias{"no intervention arm", "NO_INTERVENTION"},
    Alias{"other group", "OTHER"},
    Alias{"other arm", "OTHER"},
};
constexpr std::array kInterventionTypeAliases = {
    Alias{"biologic", "BIOLOGICAL"},
    Alias{"biologics", "BIOLOGICAL"},
    Alias{"behavioural", "BEHAVIORAL"},
    Alias{"procedure surgery", "PROCEDURE"},
    Alias{"radiation therapy", "RADIATION"},
    Alias{"radiotherapy", "RADIATION"},
    Alias{"dietary supplements", "DIETARY_SUPPLEMENT"},
    Alias{"diagnostic", "DIAGNOSTIC_TEST"},
    Alias{"drugs", "DRUG"},
    Alias{"devices", "DEVICE"},
};
constexpr std::array kSexAliases = {
    Alias{"both", "ALL"},          Alias{"both sexes", "ALL"}, Alias{"all sexes", "ALL"},
    Alias{"all genders", "ALL"},   Alias{"male and female", "ALL"},
    Alias{"female and male", "ALL"}, Alias{"females", "FEMALE"}, Alias{"female only", "FEMALE"},
    Alias{"males", "MALE"},        Alias{"male only", "MALE"},
};
constexpr std::array kSponsorClassAliases = {
    Alias{"u s fed", "FED"},
    Alias{"us fed", "FED"},
    Alias{"other u s federal agency", "FED"},
    Alias{"u s federal agency", "FED"},
    Alias{"federal", "FED"},
    Alias{"individual", "INDIV"},
    Alias{"other government", "OTHER_GOV"},
    Alias{"other governmental", "OTHER_GOV"},
    Alias{"government", "OTHER_GOV"},
    Alias{"ambiguous", "AMBIG"},
    Alias{"national institutes of health", "NIH"},
};
constexpr std::array kResponsiblePartyAliases = {
    Alias{"sponsor investigator", "SPONSOR_INVESTIGATOR"},
    Alias{"investigator", "PRINCIPAL_INVESTIGATOR"},
};
constexpr std::array kOfficialRoleAliases = {
    Alias{"pi", "PRINCIPAL_INVESTIGATOR"},
    Alias{"chair", "STUDY_CHAIR"},
    Alias{"director", "STUDY_DIRECTOR"},
};

std::span<const Alias> aliases(Vocabulary vocabulary) {
  switch (vocabulary) {
    case Vocabulary::overall_status: return kStatusAliases;
    case Vocabulary::study_type: return kStudyTypeAliases;
    case Vocabulary::date_type: return kDateTypeAliases;
    case Vocabulary::allocation: return kAllocationAliases;
    case Vocabulary::intervention_model: return kInterventionModelAliases;
    case Vocabulary::masking: return kMaskingAliases;
    case Vocabulary::primary_purpose: return kPrimaryPurposeAliases;
    case Vocabulary::arm_type: return kArmTypeAliases;
    case Vocabulary::intervention_type: return kInterventionTypeAliases;
    case Vocabulary::sex: return kSexAliases;
    case Vocabulary::sponsor_class: return kSponsorClassAliases;
    case Vocabulary::responsible_party_type: return kResponsiblePartyAliases;
    case Vocabulary::official_role: return kOfficialRoleAliases;
    default: return {};
  }
}

// fold_key of every value of every vocabulary, computed once (a look-up folded each value anew).
const std::vector<std::string>& folded_values(Vocabulary vocabulary) {
  constexpr size_t kCount = static_cast<size_t>(Vocabulary::source_format) + 1;
  static const auto table = [] {
    std::array<std::vector<std::string>, kCount> t;
    for (size_t v = 0; v < kCount; ++v)
      for (SV value : vocabulary_values(static_cast<Vocabulary>(v))) t[v].push_back(fold_key(value));
    return t;
  }();
  return table[static_cast<size_t>(vocabulary)];
}

std::optional<std::string> lookup(Vocabulary vocabulary, const std::string& key) {
  if (key.empty()) return std::nullopt;
  auto values = vocabulary_values(vocabulary);
  const auto& folded = folded_values(vocabulary);
  for (size_t i = 0; i < values.size(); ++i)
    if (folded[i] == key) return std::string(values[i]);
  for (const auto& [alias, value] : aliases(vocabulary))
    if (alias == key) return std::string(value);
  return std::nullopt;
}

// "None (Open label)" -> "None", "Observational [Patient Registry]" -> "Observational".
std::string without_brackets(std::string_view raw) {
  std::string out;
  int depth = 0;
  for (char c : raw) {
    if (c == '(' || c == '[') {
      ++depth;
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> map_vocabulary(Vocabulary vocabulary, std::string_view raw) {
  if (vocabulary == Vocabulary::phase || vocabulary == Vocabulary::none) return std::nullopt;
  if (auto found = lookup(vocabulary, fold_key(raw))) return found;
  return lookup(vocabulary, fold_key(without_brackets(raw)));
}

namespace {

// Marks phase numbers 1-4 (arabic or roman) in `wanted`; false on anything unrecognised.
bool read_phase_number(std::string_view token, std::array<bool, 6>& wanted) {
  static constexpr std::array<SV, 4> kArabic = {"1", "2", "3", "4"};
  static constexpr std::array<SV, 4> kRoman = {"i", "ii", "iii", "iv"};
  for (size_t i = 0; i < 4; ++i) {
    if (token == kArabic[i] || token == kRoman[i]) {
      wanted[i + 1] = true;
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::vector<std::string>> map_phases(std::string_view raw) {
  std::string key = fold_key(raw);
  if (key.empty()) return std::nullopt;
  // Index into the contract's phase list: EARLY_PHASE1 PHASE1 PHASE2 PHASE3 PHASE4 NA.
  std::array<bool, 6> wanted{};
  if (key == "n a" || key == "na" || key == "not applicable" || key == "none") {
    wanted[5] = true;
  } else {
    std::vector<std::string> tokens = split_trimmed(key, " ");
    bool in_phase = false;  // numbers are read only after a "phase" word
    for (size_t i = 0; i < tokens.size(); ++i) {
      const std::string& t = tokens[i];
      if (t == "early") {
        // "Early Phase 1" / "EARLY_PHASE1"
        if (i + 1 < tokens.size() && tokens[i + 1] == "phase1") {
          wanted[0] = true;
          i += 1;
        } else if (i + 2 < tokens.size() && tokens[i + 1] == "phase" &&
                   (tokens[i + 2] == "1" || tokens[i + 2] == "i")) {
          wanted[0] = true;
          i += 2;
        } else {
          return std::nullopt;
        }
        in_phase = false;
      } else if (t == "phase" || t == "phases") {
        in_phase = true;
      } else if (t.size() > 5 && t.starts_with("phase")) {
        if (!read_phase_number(SV(t).substr(5), wanted)) return std::nullopt;
        in_phase = true;
      } else if (in_phase && read_phase_number(t, wanted)) {
      } else if (t == "and" || t == "or") {
      } else {
        return std::nullopt;
      }
    }
  }
  std::vector<std::string> out;
  auto values = vocabulary_values(Vocabulary::phase);
  for (size_t i = 0; i < wanted.size(); ++i)
    if (wanted[i]) out.emplace_back(values[i]);
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> map_phases(const std::vector<std::string>& raw_items) {
  std::vector<std::string> merged;
  for (const auto& item : raw_items) {
    auto phases = map_phases(item);
    if (!phases) return std::nullopt;
    merged.insert(merged.end(), phases->begin(), phases->end());
  }
  std::vector<std::string> out;
  for (SV value : vocabulary_values(Vocabulary::phase))
    if (std::find(merged.begin(), merged.end(), value) != merged.end()) out.emplace_back(value);
  return out;
}

}  // namespace trialmill
