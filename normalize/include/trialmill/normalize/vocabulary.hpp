#pragma once
// Raw registry wording -> contract enum values. Matching is case- and punctuation-insensitive
// (fold_key); a string that matches no rule gives nullopt, never a guess.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/record_model.hpp"

namespace trialmill {

// One raw value to one enum value of `vocabulary` (not for Vocabulary::phase: use map_phases).
std::optional<std::string> map_vocabulary(Vocabulary vocabulary, std::string_view raw);

// "Phase 1/Phase 2", "PHASE1, PHASE2", "Early Phase 1", "N/A" -> phases in contract order,
// deduplicated; nullopt when any part is not recognised.
std::optional<std::vector<std::string>> map_phases(std::string_view raw);
std::optional<std::vector<std::string>> map_phases(const std::vector<std::string>& raw_items);

}  // namespace trialmill
