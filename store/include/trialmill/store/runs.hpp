#pragma once
// The `runs` table: one row per trialmill-store invocation or driver run (nightly, reingest,
// reparse), written when it starts (status 'running') and updated as batches commit and when it
// ends, so a killed run stays visible; `run_sources` holds a nightly's per-source figures.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/store/store.hpp"

namespace trialmill {

// held: the publish gate kept some source's records out of the database (see run_sources);
// interrupted: the run was killed, found by the next run that took the lock.
enum class RunStatus { running, ok, partial, held, error, interrupted };

std::string_view run_status_name(RunStatus status);

// Inserts and commits a 'running' row; returns its id. Call with no transaction open.
int64_t begin_run(SQLite::Database& db, std::string_view command);

// Writes the counts (and, unless `status` is running, finished_at) of run `id`. Runs in the
// caller's transaction when one is open, else on its own.
void update_run(SQLite::Database& db, int64_t id, size_t records_read, const StoreStats& stats,
                RunStatus status);

// What a driver run did with pages, beyond the store's counts.
struct RunPages {
  size_t fetched = 0;    // pages fetched or confirmed unchanged
  size_t unchanged = 0;  // of which 304
  size_t parsed = 0;     // pages that gave records
  size_t failed = 0;     // pages that could not be fetched or parsed
  size_t records_held = 0;
  size_t trials_withdrawn = 0;
};
// Whether run `id` ended held by the publish gate (its staged records are kept).
bool run_was_held(SQLite::Database& db, int64_t id);

void update_run_pages(SQLite::Database& db, int64_t id, const RunPages& pages,
                      const std::optional<std::string>& message);

// The start date (YYYY-MM-DD) of the last run of `command` (runs.command's first words, e.g.
// "trialmill nightly") that finished ok; nullopt when there is none. What an incremental
// discovery asks the site for: everything updated since then.
std::optional<std::string> last_good_run_date(SQLite::Database& db, std::string_view command);

// Marks the 'running' rows of commands that run under the nightly lock (`commands`, matched as
// the first word of runs.command) as interrupted: called by the holder of that lock, so no such
// run can still be alive. Returns how many were marked.
size_t mark_interrupted_runs(SQLite::Database& db, const std::vector<std::string>& commands);

}  // namespace trialmill
