#pragma once
// After a nightly run: the source records its complete discoveries no longer list are marked
// vanished, and trials left with none withdrawn from source (store/withdrawal.hpp).
#include <cstddef>
#include <set>
#include <string>

#include <SQLiteCpp/Database.h>

#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

// Per format, only when every source of that format in `config` ran to a complete discovery and
// is in `applied` (not held), so that "not listed" means gone upstream. Logs what it marked;
// returns how many trials were newly withdrawn.
size_t sweep_withdrawals(SQLite::Database& db, const FetchConfig& config,
                         const FetchSummary& summary, const std::set<std::string>& applied);

}  // namespace trialmill
