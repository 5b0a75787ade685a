#pragma once
// `trialmill reparse`'s options: declared once, parsed once (command.hpp).
#include <cstddef>
#include <string>
#include <vector>

#include "trialmill/command.hpp"
#include "trialmill/driver/option_groups.hpp"

namespace trialmill {

struct ReparseOptions : StoreArchiveOptions {
  std::vector<std::string> formats;  // --format; empty: all
  std::vector<std::string> nct_ids;  // empty: every stored trial
  size_t batch = 500;
};

// Throws UsageError (parse_options) on a bad command line.
void declare_reparse_options(CLI::App& app, ReparseOptions& options);
Command reparse_command();

}  // namespace trialmill
