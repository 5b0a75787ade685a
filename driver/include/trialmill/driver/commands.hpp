#pragma once
// `trialmill SUBCOMMAND ...`: the subcommand table. Adding a subcommand is one row in
// subcommands() (driver/src/commands.cpp); the command itself is declared as command.hpp shows.
#include <string>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

const std::vector<Command>& subcommands();
const CommandText& driver_text();
Command run_pages_command();  // `trialmill run`: driver/src/run_pages.cpp
Command history_command();    // driver/src/history.cpp
Command publish_command();    // driver/src/publish.cpp

// argv[1..]: the subcommand and its arguments. Unknown subcommand or none: exit 2.
int driver_main(const std::vector<std::string>& args);

}  // namespace trialmill
