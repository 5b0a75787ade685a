// trialmill-normalize: parsed records in, trial records (JSON Lines) out.
#include "trialmill/normalize/normalize_command.hpp"
#include "trialmill/store/schema_version.hpp"

int main(int argc, char** argv) {
  trialmill::set_version_note(trialmill::schema_version_note());
  return trialmill::run_program(trialmill::normalize_command(), argc, argv);
}
