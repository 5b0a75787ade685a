// trialmill-export: canonical trials from the SQLite store to stdout, as JSON Lines or CSV.
#include "trialmill/cli.hpp"
#include "trialmill/store/export_command.hpp"

int main(int argc, char** argv) {
  using namespace trialmill;
  return run_command(
      argc, argv, "trialmill-export", export_option_specs(),
      [] { return export_usage("trialmill-export"); },
      [](const std::vector<std::string>& words) {
        return export_command(parse_args(words, export_option_specs()));
      });
}
