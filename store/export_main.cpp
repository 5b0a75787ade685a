// trialmill-export: canonical trials from the SQLite store to stdout, as JSON Lines or CSV.
#include "trialmill/store/export_command.hpp"

int main(int argc, char** argv) {
  return trialmill::run_program(trialmill::export_command("trialmill-export"), argc, argv);
}
