#pragma once
// `trialmill nightly`: fetch -> parse -> normalize -> publish gate -> store, for every source of
// the config, incrementally (conditional requests, unchanged records write nothing), under the
// run lock; then marks what vanished upstream. docs/man/trialmill.md, docs/operations.md.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

// Exit status 3: the publish gate held some source's records back.
inline constexpr int kExitHeld = 3;

struct NightlyOptions {
  std::string config_path;
  std::string db_path;
  std::optional<std::string> archive_dir;  // default: "archive" beside the database
  std::optional<std::string> held_dir;     // default: DB.held
  std::optional<std::string> base;         // fills {base} in the config
  std::vector<std::string> sources;        // --source; empty: all
  std::optional<std::string> since;        // --since YYYY-MM-DD: incremental discovery
  bool force = false;                      // apply what the gate would hold
  bool dry_run = false;                    // --dry-run: print the requests, fetch nothing
  size_t batch = 500;
};

std::vector<OptionSpec> nightly_option_specs();
// Throws UsageError on a bad command line.
NightlyOptions parse_nightly_command_line(const std::vector<std::string>& args);
std::string nightly_usage();
int nightly_main(const std::vector<std::string>& args);

std::string default_archive_dir(const std::string& db_path);
std::string default_held_dir(const std::string& db_path);

}  // namespace trialmill
