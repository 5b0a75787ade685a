#pragma once
// One fetch run: discovery or lookups for the chosen sources, every page into the archive, one
// manifest line per page.
#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "trialmill/fetch/fetch_command.hpp"
#include "trialmill/fetch/manifest.hpp"
#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

// One source's part of a run. What discovery listed is what a nightly may compare the stored
// records of the source with, to mark those that vanished upstream: only when it is complete.
struct SourceFetchReport {
  size_t pages = 0;
  size_t unchanged = 0;
  size_t failed = 0;
  size_t not_found = 0;  // lookups (--nct) the site answered 404: it does not show the trial
  // Every discovery page was fetched and read, none cut off by max_pages, and the run was not
  // incremental (--since) nor a lookup (--nct): the listed pages are all the source has.
  bool discovery_complete = false;
  std::set<std::string> listed_urls;     // detail pages and API pages discovery listed
  std::set<std::string> listed_nct_ids;  // trials discovery named
};

struct FetchSummary {
  size_t pages = 0;      // manifest lines written (unchanged ones included)
  size_t unchanged = 0;  // of which 304
  size_t failed = 0;     // URLs reported on stderr
  std::map<std::string, SourceFetchReport> sources;  // by source name
};

// The sources named by --source (all when none); throws UsageError on an unknown name.
std::vector<const SourceConfig*> select_sources(const FetchConfig& config,
                                                const std::vector<std::string>& names);

// Each page's line goes to `emit` as soon as the page is archived. Failures are logged with the
// URL and reason and counted; throws Error only when the archive itself is unusable.
FetchSummary run_fetch(const FetchConfig& config, const FetchOptions& options,
                       const std::function<void(const ManifestLine&)>& emit);

}  // namespace trialmill
