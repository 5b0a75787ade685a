#pragma once
// Fault injection for the kill tests (tests/test_nightly.cpp): TRIALMILL_TEST_KILL_AT=STAGE:N
// sends this process SIGKILL once the count of STAGE reaches N, as a crash or an operator's
// kill -9 would, at a point a timer could not hit reliably. Unset: nothing happens.
#include <cstddef>
#include <string_view>

namespace trialmill {

// Stages: "fetch" (pages staged), "store" (batches committed).
void kill_point(std::string_view stage, size_t count);

}  // namespace trialmill
