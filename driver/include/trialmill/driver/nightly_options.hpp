#pragma once
// `trialmill nightly`'s options: declared once, parsed once (command.hpp).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "trialmill/command.hpp"
#include "trialmill/driver/option_groups.hpp"

namespace trialmill {

struct NightlyOptions : SourcesOptions {
  std::optional<std::string> held_dir;  // default: DB.held
  std::optional<std::string> since;     // --since YYYY-MM-DD: incremental discovery
  bool force = false;                   // apply what the gate would hold
  bool dry_run = false;                 // --dry-run: print the requests, fetch nothing
  size_t batch = 500;
};

// Throws UsageError (parse_options) on a bad command line.
void declare_nightly_options(CLI::App& app, NightlyOptions& options);
Command nightly_command();

std::string default_held_dir(const std::string& db_path);

}  // namespace trialmill
