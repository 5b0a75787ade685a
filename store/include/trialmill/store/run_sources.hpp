#pragma once
// `run_sources`: what each source gave in a nightly run, so that the next run's publish gate can
// compare itself with it.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace trialmill {

struct SourceRunFigures {
  std::string format;
  size_t pages = 0;
  size_t pages_unchanged = 0;
  size_t fetch_failed = 0;
  size_t parse_failed = 0;   // pages that gave no record, or a study of a page that failed
  size_t records = 0;        // normalized records
  size_t records_compared = 0;     // of which the store held an earlier record of the same page
  size_t records_lost_fields = 0;  // of those, records that lost a watched field
  size_t trials = 0;               // distinct NCT IDs
  bool discovery_complete = false;
  bool held = false;
  std::optional<std::string> held_reason;
};

using RunFigures = std::map<std::string, SourceRunFigures>;  // by source name

void save_run_sources(SQLite::Database& db, int64_t run_id, const RunFigures& figures);

// Per source, the figures of the most recent earlier run in which that source was applied (not
// held): what "the previous run" means to the publish gate. Sources never applied are absent.
RunFigures previous_applied_figures(SQLite::Database& db, int64_t before_run_id);

}  // namespace trialmill
