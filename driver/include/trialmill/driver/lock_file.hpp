#pragma once
// The lock that keeps two runs that write the database and the archive (nightly, reingest,
// reparse) from overlapping: flock(2) on DB.lock, which the kernel releases when its holder
// dies, so a killed run never leaves a lock behind. The holder writes who it is into the file
// and empties it on a clean exit: a note found on taking the lock is a killed run's (stale).
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

class RunLock {
 public:
  // Takes the lock without waiting. Throws LockBusy naming the holder when another process has
  // it, Error when the lock file cannot be opened.
  RunLock(std::string path, std::string_view command);
  ~RunLock();  // empties the note and releases the lock
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  const std::string& path() const { return path_; }
  // The note a killed holder left ("pid 123, trialmill nightly, since 2026-11-22T01:00:00Z").
  const std::optional<std::string>& stale_note() const { return stale_note_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::optional<std::string> stale_note_;
};

std::string lock_path_for(const std::string& db_path);

}  // namespace trialmill
