// trialmill-export: canonical trials from the SQLite store to stdout, as JSON Lines or CSV.
#include "trialmill/store/export_command.hpp"
#include "trialmill/store/schema_version.hpp"

int main(int argc, char** argv) {
  trialmill::set_version_note(trialmill::schema_version_note());
  return trialmill::run_program(trialmill::export_command("trialmill-export"), argc, argv);
}
