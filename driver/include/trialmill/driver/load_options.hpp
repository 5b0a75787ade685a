#pragma once
// `trialmill load`'s options: declared once, parsed once (command.hpp).
#include <cstddef>
#include <string>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

struct LoadOptions {
  std::string db;                  // --db, required
  size_t threads = 0;              // --threads; 0: std::thread::hardware_concurrency()
  size_t batch = 500;              // --batch: records per transaction
  bool bulk = true;                // --no-bulk clears: no bulk load into an empty database
  std::vector<std::string> files;  // API v2 pages or single studies
};

// Throws UsageError (parse_options) on a bad command line.
void declare_load_options(CLI::App& app, LoadOptions& options);
Command load_command();

}  // namespace trialmill
