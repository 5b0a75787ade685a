#include "trialmill/driver/commands.hpp"

#include <cstdio>

#include "trialmill/driver/history.hpp"
#include "trialmill/driver/load.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/reingest.hpp"
#include "trialmill/driver/reparse.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"

namespace trialmill {

const std::vector<Subcommand>& subcommands() {
  // One entry per subcommand; `trialmill --help` lists them in this order.
  static const std::vector<Subcommand> table = {
      {"run", "parse, normalize and store pages at hand (files, or trialmill-fetch's lines)",
       run_main},
      {"nightly", "fetch, parse, normalize and store every source, behind the publish gate",
       nightly_main},
      {"reingest", "fetch one or more trials afresh from every source; print what changed",
       reingest_main},
      {"reparse", "parse the archived pages again (after a parser fix) and store them",
       reparse_main},
      {"load", "load API v2 pages into the store (parallel, streaming, bounded memory)", load_main},
      {"export", "write the canonical trials as JSON Lines or CSV", export_main},
      {"history", "import past versions of studies; print a study's changes", history_main},
      {"publish", "copy the database into PostgreSQL (AACT-compatible views); only changes",
       publish_main},
  };
  return table;
}

std::string driver_usage() {
  std::string text =
      "Usage: trialmill SUBCOMMAND [OPTIONS] [ARGS...]\n"
      "       trialmill --help | --version\n"
      "\n"
      "Subcommands:\n";
  for (const auto& command : subcommands()) {
    std::string name = "  " + command.name;
    if (name.size() < 14) name.resize(14, ' ');
    text += name + command.summary + "\n";
  }
  text +=
      "\n"
      "'trialmill SUBCOMMAND --help' describes a subcommand.\n"
      "\n"
      "Exit status:\n"
      "  0  success\n"
      "  1  some inputs failed (each named on stderr); the others were processed\n"
      "  2  usage error (unknown subcommand, bad option), or the run could not start (lock\n"
      "     held, database or config unusable)\n"
      "  3  nightly: the publish gate held some source\n";
  return text;
}

int driver_main(const std::vector<std::string>& args) {
  log_configure({"trialmill"});
  if (args.empty()) {
    log_error({}, "no subcommand (see 'trialmill --help')");
    return kExitUsage;
  }
  const std::string& name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    std::fputs(driver_usage().c_str(), stdout);
    return kExitOk;
  }
  if (name == "--version") {
    std::puts("trialmill " TRIALMILL_VERSION);
    return kExitOk;
  }
  for (const auto& command : subcommands()) {
    if (command.name != name) continue;
    log_configure({"trialmill " + command.name});
    return command.main(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  log_error({}, str_cat("unknown subcommand '", name, "' (see 'trialmill --help')"));
  return kExitUsage;
}

}  // namespace trialmill
