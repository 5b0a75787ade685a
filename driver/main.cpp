// trialmill: the driver; every subcommand lives in trialmill_driver (see commands.cpp).
#include <string>
#include <vector>

#include "trialmill/driver/commands.hpp"
#include "trialmill/store/schema_version.hpp"

int main(int argc, char** argv) {
  trialmill::set_version_note(trialmill::schema_version_note());
  return trialmill::driver_main(std::vector<std::string>(argv + 1, argv + argc));
}
