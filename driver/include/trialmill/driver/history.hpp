#pragma once
// `trialmill history`: import a trial's past versions, print a trial's changes.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

struct HistoryOptions {
  std::string db;                     // --db, required
  std::optional<std::string> format;  // --format table|jsonl, for the listing
  std::vector<std::string> words;     // "import" FILE|FOLDER|ZIP..., or NCT IDs
};

void declare_history_options(CLI::App& app, HistoryOptions& options);
int run_history(const HistoryOptions& options);
Command history_command();

}  // namespace trialmill
