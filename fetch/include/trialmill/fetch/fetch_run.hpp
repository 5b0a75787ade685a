#pragma once
// One fetch run: discovery or lookups for the chosen sources, every page into the archive, one
// manifest line per page.
#include <cstddef>
#include <functional>
#include <vector>

#include "trialmill/fetch/fetch_command.hpp"
#include "trialmill/fetch/manifest.hpp"
#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

struct FetchSummary {
  size_t pages = 0;      // manifest lines written (unchanged ones included)
  size_t unchanged = 0;  // of which 304
  size_t failed = 0;     // URLs reported on stderr
};

// The sources named by --source (all when none); throws UsageError on an unknown name.
std::vector<const SourceConfig*> select_sources(const FetchConfig& config,
                                                const std::vector<std::string>& names);

// Each page's line goes to `emit` as soon as the page is archived. Failures are logged with the
// URL and reason and counted; throws Error only when the archive itself is unusable.
FetchSummary run_fetch(const FetchConfig& config, const FetchOptions& options,
                       const std::function<void(const ManifestLine&)>& emit);

}  // namespace trialmill
