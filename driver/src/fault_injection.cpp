#include "trialmill/driver/fault_injection.hpp"

#include <csignal>
#include <cstdlib>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

void kill_point(std::string_view stage, size_t count) {
  static const char* setting = std::getenv("TRIALMILL_TEST_KILL_AT");
  if (!setting) return;
  if (std::string_view(setting) == str_cat(stage, ":", count)) std::raise(SIGKILL);
}

}  // namespace trialmill
