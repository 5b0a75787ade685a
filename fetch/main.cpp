// trialmill-fetch: sources config in, registry pages into the raw archive, manifest lines out.
#include "trialmill/fetch/fetch_command.hpp"
#include "trialmill/store/schema_version.hpp"

int main(int argc, char** argv) {
  trialmill::set_version_note(trialmill::schema_version_note());
  return trialmill::run_program(trialmill::fetch_command(), argc, argv);
}
