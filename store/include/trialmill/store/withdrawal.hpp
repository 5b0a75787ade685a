#pragma once
// Trials that vanished upstream: marked, never deleted. A source record whose page discovery no
// longer lists has vanished; a trial whose every source record vanished is withdrawn from source.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

// What a complete discovery of one format's sources listed.
struct ListedPages {
  std::set<std::string> urls;
  std::set<std::string> nct_ids;
};

struct WithdrawalCounts {
  size_t sources_vanished = 0;  // newly marked
  size_t sources_returned = 0;  // listed again
  size_t trials_withdrawn = 0;  // newly marked
  size_t trials_returned = 0;
};

// Marks the source records of `format` that `listed` names neither by URL nor by NCT ID as
// vanished at `now`, clears the mark of those it names, then marks or clears
// trials.withdrawn_from_source_at to match, with a trial_changes row for each trial whose mark
// changed (field "withdrawn_from_source_at"). Call only after a complete discovery; runs in the
// caller's transaction.
WithdrawalCounts sweep_vanished(SQLite::Database& db, std::string_view format,
                                const ListedPages& listed, const std::string& now);

// sweep_vanished for each format of `listed` (what complete discoveries listed, by format), in
// one transaction of its own; returns the counts by format.
std::map<std::string, WithdrawalCounts> sweep_vanished_formats(
    SQLite::Database& db, const std::map<std::string, ListedPages>& listed);

// Sets source_confirmations.confirmed_at = now for the records of `format` that discovery listed
// (by NCT ID or URL), complete discovery or not: a listed trial is there. In the caller's
// transaction.
void confirm_listed(SQLite::Database& db, std::string_view format, const ListedPages& listed,
                    const std::string& now);

// Up to `limit` NCT IDs with a record of `format`, least recently confirmed first (never
// confirmed before all): what the nightly removal sweep asks the site about.
std::vector<std::string> least_recently_confirmed(SQLite::Database& db, std::string_view format,
                                                  size_t limit);

// The removal sweep's answers for `format`: records of `found` IDs confirmed (and unmarked when
// they had vanished), records of `not_found` IDs marked vanished (never deleted); then trials
// marked or cleared as in sweep_vanished. IDs in neither set (no answer) are left as they are.
// In the caller's transaction.
WithdrawalCounts apply_id_sweep(SQLite::Database& db, std::string_view format,
                                const std::set<std::string>& found,
                                const std::set<std::string>& not_found, const std::string& now);

}  // namespace trialmill
