// trialmill-store: trial records (JSON Lines) into the SQLite store.
#include "trialmill/store/schema_version.hpp"
#include "trialmill/store/store_command.hpp"

int main(int argc, char** argv) {
  trialmill::set_version_note(trialmill::schema_version_note());
  return trialmill::run_program(trialmill::store_command(), argc, argv);
}
