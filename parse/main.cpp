// trialmill-parse: pages in, parsed records (JSON Lines) out.
#include "trialmill/parse/parse_command.hpp"
#include "trialmill/store/schema_version.hpp"

int main(int argc, char** argv) {
  trialmill::set_version_note(trialmill::schema_version_note());
  return trialmill::run_program(trialmill::parse_command(), argc, argv);
}
