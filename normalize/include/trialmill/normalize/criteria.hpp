#pragma once
// Eligibility criteria text -> one entry per top-level criterion.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

// Splits a criteria block (lines with their original indentation) into top-level criteria:
// list markers of top-level entries stripped, deeper-indented sub-items kept inside their parent
// (joined with "\n", their markers kept), run-together numbering ("1. a; 2. b") split.
std::vector<std::string> split_criteria(std::string_view block);

struct CriteriaSections {
  std::optional<std::string> inclusion;
  std::optional<std::string> exclusion;
};

// Cuts a whole eligibility text at its "Inclusion Criteria:" / "Exclusion Criteria:" headings
// (a combined "Inclusion and exclusion criteria" heading counts as inclusion).
CriteriaSections split_eligibility_sections(std::string_view text);

}  // namespace trialmill
