#pragma once
// The removal sweep's questions to the sites, as AACT asks ClinicalTrials.gov: "do you still
// have these trials?" — by the API's filter.ids in batches, or one lookup_url per trial. Only the
// asking lives here; which trials to ask about and what to mark is the store's business
// (store/withdrawal.hpp) and the nightly's (driver/nightly_sweep.hpp).
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

struct IdSweepAnswer {
  std::set<std::string> found;      // the source still shows them
  std::set<std::string> not_found;  // answered "no such trial" (absent from filter.ids, 404, 410)
  size_t failed = 0;                // IDs whose question got no answer (neither set holds them)
  size_t requests = 0;
};

// True when a source can be asked by ID: the ClinicalTrials.gov API, or a lookup_url.
bool can_sweep_by_id(const SourceConfig& source);

// Requests the sweep of `ids` on `source` would make (API batches or one per ID).
size_t sweep_request_count(const SourceConfig& source, size_t ids);

// Asks each source about its IDs (all sources at once, each host at its own pace; robots.txt
// and Crawl-delay honoured as in a fetch). Failures are logged with the URL and counted.
std::map<std::string, IdSweepAnswer> sweep_ids(
    const FetchConfig& config, const std::map<const SourceConfig*, std::vector<std::string>>& work);

}  // namespace trialmill
