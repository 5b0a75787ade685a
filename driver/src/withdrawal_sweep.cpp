#include "trialmill/driver/withdrawal_sweep.hpp"

#include <map>

#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/withdrawal.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

size_t sweep_withdrawals(SQLite::Database& db, const FetchConfig& config,
                         const FetchSummary& summary, const std::set<std::string>& applied) {
  std::map<std::string, ListedPages> listed;
  std::set<std::string> incomplete;
  for (const SourceConfig& source : config.sources) {
    auto report = summary.sources.find(source.name);
    bool complete = report != summary.sources.end() && report->second.discovery_complete &&
                    applied.count(source.name);
    if (!complete) {
      incomplete.insert(source.format);
      continue;
    }
    ListedPages& pages = listed[source.format];
    pages.urls.insert(report->second.listed_urls.begin(), report->second.listed_urls.end());
    pages.nct_ids.insert(report->second.listed_nct_ids.begin(),
                         report->second.listed_nct_ids.end());
  }
  for (const auto& format : incomplete) listed.erase(format);
  size_t withdrawn = 0;
  for (const auto& [format, counts] : sweep_vanished_formats(db, listed)) {
    withdrawn += counts.trials_withdrawn;
    if (counts.sources_vanished)
      log_warning(format, str_cat(counts.sources_vanished,
                                  " source records no longer listed upstream; marked vanished"));
    if (counts.trials_withdrawn)
      log_warning(format, str_cat(counts.trials_withdrawn, " trials marked withdrawn from source"));
  }
  return withdrawn;
}

}  // namespace trialmill
