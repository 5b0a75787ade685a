#pragma once
// trialmill-fetch's command line, apart from its I/O so that it can be tested.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

struct FetchOptions {
  std::string config_path;              // --config, required
  std::vector<std::string> sources;     // --source, repeatable; empty: every source
  std::string archive_dir = "archive";  // --archive
  std::optional<std::string> since;     // --since YYYY-MM-DD: incremental run
  std::vector<std::string> nct_ids;     // --nct, repeatable: look these up instead of discovering
  std::optional<std::string> base;      // --base URL: fills {base} in the config
  bool help = false;
  bool version = false;
};

std::vector<OptionSpec> fetch_option_specs();
// Throws UsageError on a bad command line (a malformed --since or --nct included).
FetchOptions parse_fetch_command_line(const std::vector<std::string>& args);
std::string fetch_usage();

}  // namespace trialmill
