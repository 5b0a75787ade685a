// trialmill-fetch: sources config in, registry pages into the raw archive, manifest lines out.
#include "trialmill/fetch/fetch_command.hpp"

int main(int argc, char** argv) {
  return trialmill::run_program(trialmill::fetch_command(), argc, argv);
}
