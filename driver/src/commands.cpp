#include "trialmill/driver/commands.hpp"

#include "trialmill/driver/load_options.hpp"
#include "trialmill/driver/nightly_options.hpp"
#include "trialmill/driver/reingest_options.hpp"
#include "trialmill/driver/reparse_options.hpp"
#include "trialmill/store/export_command.hpp"

namespace trialmill {

const std::vector<Command>& subcommands() {
  // One row per subcommand; `trialmill --help` lists them in this order.
  static const std::vector<Command> table = {
      run_pages_command(), nightly_command(), reingest_command(),
      reparse_command(),   load_command(),    export_command("export"),
      history_command(),   publish_command(),
  };
  return table;
}

const CommandText& driver_text() {
  static const CommandText text = {
      "trialmill", "the trialmill pipeline and its maintenance commands",
      "SUBCOMMAND [OPTIONS] [ARGS...]\n       trialmill --help | --version", "",
      "  0  success\n"
      "  1  some inputs failed (each named on stderr); the others were processed\n"
      "  2  usage error (unknown subcommand, bad option), or the run could not start (lock\n"
      "     held, database or config unusable)\n"
      "  3  nightly: the publish gate held some source\n"};
  return text;
}

int driver_main(const std::vector<std::string>& args) {
  return run_program_of_subcommands(driver_text(), subcommands(), args);
}

}  // namespace trialmill
