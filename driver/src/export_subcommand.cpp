// `trialmill export`: trialmill-export as a driver subcommand.
#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/store/export_command.hpp"

namespace trialmill {

int export_main(const std::vector<std::string>& args) {
  return run_subcommand(
      args, "trialmill export", export_option_specs(),
      [] { return export_usage("trialmill export"); },
      [](const ParsedArgs& parsed) { return export_command(parsed); });
}

}  // namespace trialmill
