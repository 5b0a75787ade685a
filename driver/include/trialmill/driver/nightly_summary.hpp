#pragma once
// The one line a nightly run prints on stdout when it ends: text for people, JSON for machines
// (--log-format json).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trialmill/store/runs.hpp"
#include "trialmill/store/store.hpp"

namespace trialmill {

struct NightlySummary {
  int64_t run_id = 0;
  RunStatus status = RunStatus::ok;
  double seconds = 0;
  RunPages pages;
  size_t trials_new = 0;
  size_t trials_changed = 0;
  size_t trials_unchanged = 0;
  StoreStats stored;
  std::vector<std::pair<std::string, std::string>> held;  // source, reason
};

// Ends with a newline.
std::string nightly_summary_line(const NightlySummary& summary, bool json);

}  // namespace trialmill
