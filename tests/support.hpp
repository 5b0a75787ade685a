#pragma once
// Helpers shared by the tests: where things are, temporary directories, running the executables.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace trialmill::test {

namespace fs = std::filesystem;

inline fs::path source_dir() { return TRIALMILL_SOURCE_DIR; }
inline fs::path bin_dir() { return TRIALMILL_BIN_DIR; }
inline fs::path fixtures_dir() { return source_dir() / "fixtures"; }
// ../shared/corpus beside the repo, when it is there; tests that need it skip cleanly otherwise.
fs::path corpus_dir();
bool have_corpus();

std::string read_text(const fs::path& path);
void write_text(const fs::path& path, const std::string& text);

// A fresh directory under the system temp dir, removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs an executable from build/bin with arguments, feeding `input` on stdin; no shell involved.
CommandResult run_tool(const std::string& tool, const std::vector<std::string>& args,
                       const std::string& input = {});

// A tool running in the background with its stdin held open and its stdout readable line by
// line; the destructor closes stdin, then kills it if it has not exited within a second.
class BackgroundTool {
 public:
  BackgroundTool(const std::string& tool, const std::vector<std::string>& args);
  ~BackgroundTool();
  BackgroundTool(const BackgroundTool&) = delete;
  BackgroundTool& operator=(const BackgroundTool&) = delete;
  // The next line of its stdout (without the newline), or nullopt at end of output or after
  // `timeout_ms`.
  std::optional<std::string> read_line(int timeout_ms = 10000);
  void kill_now();  // SIGKILL, as a crash or an operator would
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
};

}  // namespace trialmill::test
