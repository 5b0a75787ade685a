#pragma once
// The one command framework every executable and every `trialmill` subcommand goes through.
// A command declares its options (CLI11) bound to the members of its options struct; the
// framework parses the command line once into that struct, answers --help, --version, --quiet
// and --log-format, runs `run(options)`, and maps what escapes to the exit code (exit_code.hpp).
//
//   struct HelloOptions { std::string db; size_t batch = 500; std::vector<std::string> files; };
//   void declare_hello(CLI::App& app, HelloOptions& o) {      // in hello_options.cpp
//     add_db_option(app, o.db, "the database to read (required)");
//     add_batch_option(app, o.batch);
//     app.add_option("FILE", o.files, "pages");
//   }
//   int run_hello(const HelloOptions& o);                     // in hello.cpp: returns 0 or 1,
//   throws Command hello_command() {
//     return make_command<HelloOptions>({"hello", "one line for trialmill --help",
//                                        "--db PATH [--batch N] [FILE...]", "What it does.\n",
//                                        "  0  ...\n  1  ...\n  2  ...\n"},
//                                       declare_hello, run_hello);
//   }
// then main() { return run_program(hello_command(), argc, argv); }, or one row in the
// subcommand table of driver/src/commands.cpp.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "trialmill/exit_code.hpp"

namespace CLI {
class App;
}

namespace trialmill {

// What --help prints around the option list the framework generates from the declarations.
struct CommandText {
  std::string name;         // "trialmill-parse"; for a trialmill subcommand, "run"
  std::string summary;      // one line ('trialmill --help' lists the subcommands by it)
  std::string synopsis;     // after "Usage: PROGRAM ": "--db PATH [--batch N] [FILE...]"
  std::string description;  // the paragraphs between the usage and "Options:"
  std::string exit_status;  // the rows under "Exit status:"
};

struct Command {
  CommandText text;
  // Declares the options on `app`, bound to a fresh options object, and returns what runs the
  // command on them once `app` has parsed. `command_line` ("trialmill nightly --db t.db") is
  // handed to options structs that have a command_line member (the runs table records it).
  std::function<std::function<int()>(CLI::App& app, const std::string& command_line)> bind;
};

template <typename Options>
Command make_command(CommandText text, void (*declare)(CLI::App&, Options&),
                     int (*run)(const Options&)) {
  return {std::move(text),
          [declare, run](CLI::App& app, const std::string& command_line) -> std::function<int()> {
            auto options = std::make_shared<Options>();
            if constexpr (requires { options->command_line = command_line; })
              options->command_line = command_line;
            declare(app, *options);
            return [options, run] { return run(*options); };
          }};
}

// What --version says after "PROGRAM VERSION" in this process, e.g. " (database schema 6)". The
// framework knows nothing of the store: each main sets it (store/schema_version.hpp) first.
void set_version_note(std::string note);
std::string version_line(const std::string& program);  // "trialmill 0.1.0 (database schema 6)"

// Runs `command` as `program` over `args` (what follows the program name) and returns the exit
// code: 0 for --help and --version; 2 for a usage error (with a hint at --help) or a
// StartError; the body's own code otherwise; 1 for any other exception that escapes it.
int run_program(const Command& command, const std::string& program,
                const std::vector<std::string>& args);
int run_program(const Command& command, int argc, char** argv);  // program: command.text.name

// A program of subcommands (`trialmill`): the first word chooses one, which then runs as
// "PROGRAM WORD" through run_program. --help lists `commands` by their summaries.
int run_program_of_subcommands(const CommandText& text, const std::vector<Command>& commands,
                               const std::vector<std::string>& args);

// The --help text of `command` as `program` (what run_program prints).
std::string command_help(const Command& command, const std::string& program);
std::string subcommands_help(const CommandText& text, const std::vector<Command>& commands);

// Parses `args` with `declare`'s options plus the common ones into `options`, as run_program
// would, without running anything; throws UsageError. For tests and callers that need the
// options struct itself.
void parse_declared(const std::function<void(CLI::App&)>& declare,
                    const std::vector<std::string>& args);
template <typename Options>
Options parse_options(void (*declare)(CLI::App&, Options&), const std::vector<std::string>& args) {
  Options options;
  parse_declared([&](CLI::App& app) { declare(app, options); }, args);
  return options;
}

}  // namespace trialmill
