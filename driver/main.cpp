// trialmill: the driver; every subcommand lives in trialmill_driver (see commands.cpp).
#include <string>
#include <vector>

#include "trialmill/driver/commands.hpp"

int main(int argc, char** argv) {
  return trialmill::driver_main(std::vector<std::string>(argv + 1, argv + argc));
}
