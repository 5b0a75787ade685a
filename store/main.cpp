// trialmill-store: trial records (JSON Lines) into the SQLite store.
#include "trialmill/store/store_command.hpp"

int main(int argc, char** argv) {
  return trialmill::run_program(trialmill::store_command(), argc, argv);
}
