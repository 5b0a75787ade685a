#pragma once
// The edge of a driver subcommand, caught once here (as run_command is for the stage mains):
// logger set up, --help and --version answered, then the body; UsageError, StartError and
// DatabaseError become exit 2 (nothing was done), any other exception exit 1.
#include <functional>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

int run_subcommand(const std::vector<std::string>& args, const std::string& program,
                   const std::vector<OptionSpec>& specs, const std::function<std::string()>& usage,
                   const std::function<int(const ParsedArgs& parsed)>& body);

}  // namespace trialmill
