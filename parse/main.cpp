// trialmill-parse: pages in, parsed records (JSON Lines) out.
#include "trialmill/parse/parse_command.hpp"

int main(int argc, char** argv) {
  return trialmill::run_program(trialmill::parse_command(), argc, argv);
}
