#pragma once
// `trialmill reingest`'s options: declared once, parsed once (command.hpp).
#include <string>
#include <vector>

#include "trialmill/command.hpp"
#include "trialmill/driver/option_groups.hpp"

namespace trialmill {

struct ReingestOptions : SourcesOptions {
  std::vector<std::string> nct_ids;  // upper case, no repeats
};

// Throws UsageError (parse_options) on a bad command line.
void declare_reingest_options(CLI::App& app, ReingestOptions& options);
Command reingest_command();

}  // namespace trialmill
