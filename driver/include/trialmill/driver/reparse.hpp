#pragma once
// `trialmill reparse`: the archived pages behind the stored source records, parsed again (after a
// parser fix) and stored, without fetching anything.
#include "trialmill/driver/reparse_options.hpp"

namespace trialmill {

// The command's body: options parsed (reparse_options.cpp); returns the exit code.
int run_reparse(const ReparseOptions& options);

}  // namespace trialmill
