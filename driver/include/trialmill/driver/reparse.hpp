#pragma once
// `trialmill reparse`: the archived pages behind the stored source records, parsed again (after a
// parser fix) and stored, without fetching anything.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

struct ReparseOptions {
  std::string db_path;
  std::optional<std::string> archive_dir;
  std::vector<std::string> formats;  // --format; empty: all
  std::vector<std::string> nct_ids;  // empty: every stored trial
  size_t batch = 500;
};

std::vector<OptionSpec> reparse_option_specs();
ReparseOptions parse_reparse_command_line(const std::vector<std::string>& args);
std::string reparse_usage();
int reparse_main(const std::vector<std::string>& args);

}  // namespace trialmill
