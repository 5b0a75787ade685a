#pragma once
// Trials that vanished upstream: marked, never deleted. A source record whose page discovery no
// longer lists has vanished; a trial whose every source record vanished is withdrawn from source.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>

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

}  // namespace trialmill
