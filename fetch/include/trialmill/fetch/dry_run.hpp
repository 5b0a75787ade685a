#pragma once
// `trialmill nightly --dry-run`: what a run would ask of each site — the addresses it starts
// from, the requests per host, their rate and the time they take — without a single request, so
// that a configuration can be checked before it is pointed at a real site.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

// What the database knows about a source, when there is one (all optional: a first run has none).
struct DryRunFacts {
  std::optional<size_t> last_pages;     // pages the last applied run fetched for it
  std::optional<size_t> stored_trials;  // trials stored from it (bounds the removal sweep)
  std::optional<std::string> since;     // incremental discovery from this date
};

// The plan as text for a reader: per source its discovery, start addresses and rate; per host the
// expected requests, rate and duration; the longest host's duration is the run's (hosts are
// fetched in parallel). robots.txt may lower a rate (Crawl-delay); that is said, not guessed.
std::string dry_run_plan(const FetchConfig& config, const std::vector<const SourceConfig*>& sources,
                         const std::map<std::string, DryRunFacts>& facts);

}  // namespace trialmill
