#pragma once
// The `runs` table: one row per trialmill-store invocation, written when it starts (status
// 'running') and updated as batches commit and when it ends, so a killed run stays visible.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "trialmill/store/store.hpp"

namespace trialmill {

enum class RunStatus { running, ok, partial, error };

std::string_view run_status_name(RunStatus status);

// Inserts and commits a 'running' row; returns its id. Call with no transaction open.
int64_t begin_run(SQLite::Database& db, std::string_view command);

// Writes the counts (and, unless `status` is running, finished_at) of run `id`. Runs in the
// caller's transaction when one is open, else on its own.
void update_run(SQLite::Database& db, int64_t id, size_t records_read, const StoreStats& stats,
                RunStatus status);

}  // namespace trialmill
