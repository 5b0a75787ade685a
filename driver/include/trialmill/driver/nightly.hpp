#pragma once
// `trialmill nightly`: fetch -> parse -> normalize -> publish gate -> store, for every source of
// the config, incrementally (conditional requests, unchanged records write nothing), under the
// run lock; then marks what vanished upstream. docs/man/trialmill.md, docs/operations.md.
#include "trialmill/driver/nightly_options.hpp"

namespace trialmill {

// The command's body: options parsed (nightly_options.cpp); returns the exit code.
int run_nightly(const NightlyOptions& options);

}  // namespace trialmill
