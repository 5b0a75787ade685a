#include "trialmill/driver/nightly_sweep.hpp"

#include <SQLiteCpp/Transaction.h>

#include <map>

#include "trialmill/error.hpp"
#include "trialmill/fetch/id_sweep.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/withdrawal.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

LookupSweepCounts run_lookup_sweep(SQLite::Database& db, const FetchConfig& config,
                                   const std::vector<const SourceConfig*>& sources,
                                   const FetchSummary& summary, const std::set<std::string>& applied) {
  LookupSweepCounts counts;
  const std::string now = utc_now_iso8601();
  std::map<const SourceConfig*, std::vector<std::string>> work;
  {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const SourceConfig* s : sources) {
      // An "auto" source's records are stored under the format detection gave them: there is
      // no one format to confirm or sweep by.
      if (!applied.count(s->name) || s->format_is_auto()) continue;
      if (auto report = summary.sources.find(s->name); report != summary.sources.end()) {
        ListedPages listed{report->second.listed_urls, report->second.listed_nct_ids};
        confirm_listed(db, s->format, listed, now);
      }
      if (s->sweep_per_night > 0 && can_sweep_by_id(*s))
        work[s] = least_recently_confirmed(db, s->format, static_cast<size_t>(s->sweep_per_night));
    }
    transaction.commit();
  }
  bool any = false;
  for (const auto& [s, ids] : work) any = any || !ids.empty();
  if (!any) return counts;

  auto answers = sweep_ids(config, work);
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  for (const auto& [s, ids] : work) {
    auto it = answers.find(s->name);
    if (it == answers.end()) continue;
    const IdSweepAnswer& answer = it->second;
    counts.asked += ids.size();
    counts.failed += answer.failed;
    WithdrawalCounts marked = apply_id_sweep(db, s->format, answer.found, answer.not_found, now);
    counts.not_found += marked.sources_vanished;
    counts.returned += marked.sources_returned;
    counts.trials_withdrawn += marked.trials_withdrawn;
    counts.trials_returned += marked.trials_returned;
    log_info(str_cat(s->name, ": removal sweep asked about ", ids.size(), " trials in ",
                     answer.requests, " requests: ", answer.found.size(), " found, ",
                     answer.not_found.size(), " not found, ", answer.failed, " unanswered"));
    if (marked.sources_vanished)
      log_warning(s->name, str_cat(marked.sources_vanished,
                                   " trials no longer found by ID; marked vanished from source"));
    if (marked.sources_returned)
      log_info(str_cat(s->name, ": ", marked.sources_returned, " trials found again; unmarked"));
  }
  transaction.commit();
  return counts;
}

}  // namespace trialmill
