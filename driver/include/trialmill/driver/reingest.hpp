#pragma once
// `trialmill reingest NCT...`: one trial afresh from every source that has it, stored, and its
// canonical record and changes printed.
#include "trialmill/driver/reingest_options.hpp"

namespace trialmill {

// The command's body: options parsed (reingest_options.cpp); returns the exit code.
int run_reingest(const ReingestOptions& options);

}  // namespace trialmill
