#pragma once
// `trialmill reingest NCT...`: one trial afresh from every source that has it, stored, and its
// canonical record and changes printed.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

struct ReingestOptions {
  std::string config_path;
  std::string db_path;
  std::optional<std::string> archive_dir;
  std::optional<std::string> base;
  std::vector<std::string> sources;
  std::vector<std::string> nct_ids;  // upper case, no repeats
};

std::vector<OptionSpec> reingest_option_specs();
// Throws UsageError on a bad command line (no NCT ID, a malformed one).
ReingestOptions parse_reingest_command_line(const std::vector<std::string>& args);
std::string reingest_usage();
int reingest_main(const std::vector<std::string>& args);

}  // namespace trialmill
