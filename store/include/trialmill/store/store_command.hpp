#pragma once
// trialmill-store as a command: trial records (JSON Lines) into the SQLite store.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

struct StoreOptions {
  std::string db;                         // --db, required
  size_t batch = 500;                     // --batch: records per transaction
  std::optional<std::string> precedence;  // --precedence LIST: set the merge order first
  bool adopt_empty = false;               // --adopt-empty: make an empty SQLite file ours
  std::vector<std::string> files;         // '-' is stdin; none: stdin
  std::string command_line;               // what the runs row records
};

void declare_store_options(CLI::App& app, StoreOptions& options);
int run_store_command(const StoreOptions& options);
Command store_command();

}  // namespace trialmill
