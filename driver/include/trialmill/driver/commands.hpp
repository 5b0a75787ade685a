#pragma once
// `trialmill SUBCOMMAND ...`: the dispatch table. Adding a subcommand is one entry in commands().
#include <string>
#include <vector>

namespace trialmill {

struct Subcommand {
  std::string name;                                   // "load"
  std::string summary;                                // one line for `trialmill --help`
  int (*main)(const std::vector<std::string>& args);  // args after the name; returns the exit code
};

const std::vector<Subcommand>& subcommands();
int export_main(const std::vector<std::string>& args);  // driver/src/export_subcommand.cpp
int publish_main(const std::vector<std::string>& args);  // driver/src/publish.cpp
int run_main(const std::vector<std::string>& args);     // driver/src/run_subcommand.cpp
std::string driver_usage();

// argv[1..]: the subcommand and its arguments. Unknown subcommand or none: exit 2.
int driver_main(const std::vector<std::string>& args);

}  // namespace trialmill
