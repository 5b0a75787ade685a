#include "trialmill/normalize/interventions.hpp"

#include <algorithm>

#include "trialmill/normalize/vocabulary.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

TypedName split_type_prefix(std::string_view raw) {
  std::string text = collapse_whitespace(raw);
  size_t colon = text.find(':');
  if (colon != std::string::npos && colon > 0 && colon < 40) {
    if (auto type = map_vocabulary(Vocabulary::intervention_type, text.substr(0, colon))) {
      std::string name(trim(std::string_view(text).substr(colon + 1)));
      if (!name.empty()) return {type, name};
    }
  }
  return {std::nullopt, text};
}

std::string arm_intervention_name(std::string_view raw) {
  TypedName typed = split_type_prefix(raw);
  if (!typed.type) return typed.name;
  // DIETARY_SUPPLEMENT -> "Dietary Supplement": the display form ClinicalTrials.gov uses.
  std::string display;
  bool word_start = true;
  for (char c : *typed.type) {
    if (c == '_') {
      display.push_back(' ');
      word_start = true;
    } else {
      display.push_back(word_start ? c : static_cast<char>(c - 'A' + 'a'));
      word_start = false;
    }
  }
  return display + ": " + typed.name;
}

std::vector<Intervention> dedupe_interventions(std::vector<Intervention> items) {
  std::vector<Intervention> out;
  for (auto& item : items) {
    auto same = std::find_if(out.begin(), out.end(), [&](const Intervention& o) {
      return o.type == item.type && iequals(o.name, item.name);
    });
    if (same == out.end()) {
      out.push_back(std::move(item));
      continue;
    }
    if (item.description &&
        (!same->description || item.description->size() > same->description->size()))
      same->description = item.description;
    for (auto& other : item.other_names)
      if (std::find(same->other_names.begin(), same->other_names.end(), other) ==
          same->other_names.end())
        same->other_names.push_back(other);
  }
  return out;
}

}  // namespace trialmill
