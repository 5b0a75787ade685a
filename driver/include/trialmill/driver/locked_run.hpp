#pragma once
// What every driver command that writes the database and the archive does around its work: the
// run lock, the store, and the command's runs row (with killed runs before it marked).
#include <cstdint>
#include <optional>
#include <string>

#include "trialmill/driver/lock_file.hpp"
#include "trialmill/error.hpp"
#include "trialmill/store/store.hpp"

namespace trialmill {

// The subcommands that run under the lock, as runs.command begins.
inline constexpr const char* kLockedCommands[] = {"trialmill nightly", "trialmill reingest",
                                                  "trialmill reparse"};

class LockedRun {
 public:
  // Throws StartError. `command` is what the runs row records ("trialmill nightly --db ...").
  LockedRun(const std::string& db_path, const std::string& command);
  LockedRun(const LockedRun&) = delete;
  LockedRun& operator=(const LockedRun&) = delete;

  TrialStore& store() { return *store_; }
  SQLite::Database& database() { return store_->database(); }
  int64_t run_id() const { return run_id_; }
  const std::string& started_at() const { return started_at_; }

 private:
  RunLock lock_;  // first: held until everything else is gone
  std::optional<TrialStore> store_;
  int64_t run_id_ = 0;
  std::string started_at_;
};

}  // namespace trialmill
