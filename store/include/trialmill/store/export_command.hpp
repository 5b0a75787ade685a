#pragma once
// The export command's line and body, shared by trialmill-export and `trialmill export`.
#include <string>
#include <vector>

#include "trialmill/cli.hpp"
#include "trialmill/store/export.hpp"

namespace trialmill {

std::vector<OptionSpec> export_option_specs();
std::string export_usage(const std::string& program);
// What to export, from the command line; throws UsageError.
ExportOptions export_options(const ParsedArgs& args);
// Writes the export to stdout; returns the exit code (2 when the database cannot be used).
int export_command(const ParsedArgs& args);

}  // namespace trialmill
