#pragma once
// `trialmill nightly --dry-run`: the plan of fetch/dry_run.hpp, with what the database (when
// --db names one that exists) knows of the last run; prints it on stdout, fetches nothing.
#include "trialmill/driver/nightly.hpp"
#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

// Returns the exit status (0). Throws UsageError on an unknown --source.
int nightly_dry_run(const NightlyOptions& options, const FetchConfig& config);

}  // namespace trialmill
