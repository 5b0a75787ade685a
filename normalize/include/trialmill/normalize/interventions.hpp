#pragma once
// Interventions: "Drug: Anlotinib" -> {DRUG, "Anlotinib"}; one entry per distinct intervention.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

struct TypedName {
  std::optional<std::string> type;  // from a recognised "Type: " prefix
  std::string name;                 // the rest, or the whole string when there is no prefix
};

// Only a prefix naming an intervention type is split off; commas never split a name.
TypedName split_type_prefix(std::string_view raw);

// An arm's intervention name in the API's form, "Drug: Anlotinib", whatever the page's spelling of
// the type ("DRUG: Anlotinib"), so that arms from different sources name interventions alike.
std::string arm_intervention_name(std::string_view raw);

struct Intervention {
  std::optional<std::string> type;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> other_names;
};

// Merges entries with the same (type, name): the first keeps its place and takes the longest
// description and every other name.
std::vector<Intervention> dedupe_interventions(std::vector<Intervention> items);

}  // namespace trialmill
