// trialmill-normalize: parsed records in, trial records (JSON Lines) out.
#include "trialmill/normalize/normalize_command.hpp"

int main(int argc, char** argv) {
  return trialmill::run_program(trialmill::normalize_command(), argc, argv);
}
