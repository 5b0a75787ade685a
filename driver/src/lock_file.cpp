#include "trialmill/driver/lock_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

std::string read_note(int fd) {
  std::string note;
  char buffer[512];
  ssize_t n = pread(fd, buffer, sizeof buffer, 0);
  if (n > 0) note.assign(buffer, static_cast<size_t>(n));
  return std::string(trim(note));
}

}  // namespace

std::string lock_path_for(const std::string& db_path) { return db_path + ".lock"; }

RunLock::RunLock(std::string path, std::string_view command) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw make_error(path_, ": cannot open the lock file: ", std::strerror(errno));
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    std::string note = read_note(fd_);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw make_error("another run holds ", path_, note.empty() ? "" : str_cat(" (", note, ")"));
    throw make_error(path_, ": cannot lock: ", std::strerror(error));
  }
  if (std::string note = read_note(fd_); !note.empty()) stale_note_ = note;
  std::string note = str_cat("pid ", getpid(), ", ", command, ", since ", utc_now_iso8601(), "\n");
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, note.data(), note.size(), 0) < 0) {
    // The lock holds without its note; only the message to a second run is poorer.
  }
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  if (ftruncate(fd_, 0) != 0) {
    // Left as it is, the note reads as a stale lock to the next run: harmless.
  }
  flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace trialmill
