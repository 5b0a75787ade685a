#include "trialmill/driver/locked_run.hpp"

#include <vector>

#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

RunLock take_lock(const std::string& db_path, const std::string& command) {
  try {
    return RunLock(lock_path_for(db_path), command);
  } catch (const Error& e) {
    throw StartError(e.what());
  }
}

}  // namespace

LockedRun::LockedRun(const std::string& db_path, const std::string& command)
    : lock_(take_lock(db_path, command)) {
  if (lock_.stale_note())
    log_warning(lock_.path(), str_cat("a killed run left its lock note (", *lock_.stale_note(),
                                      "); taken over"));
  try {
    store_.emplace(db_path);
    std::vector<std::string> locked(std::begin(kLockedCommands), std::end(kLockedCommands));
    if (size_t killed = mark_interrupted_runs(store_->database(), locked))
      log_warning(db_path, str_cat(killed, " earlier run(s) were killed before they ended; marked "
                                           "interrupted (their committed batches stand)"));
    started_at_ = utc_now_iso8601();
    run_id_ = begin_run(store_->database(), command);
  } catch (const DatabaseError& e) {
    throw StartError(e.what());
  } catch (const SQLite::Exception& e) {
    throw StartError(str_cat(db_path, ": ", e.what()));
  }
}

}  // namespace trialmill
