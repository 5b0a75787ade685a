#pragma once
// The raw archive: every fetched body stored once under its SHA-256 (DIR/ab/cd/<sha256>), and an
// index (DIR/index.jsonl) from URL to what was last stored for it, so that pages can be re-parsed
// without refetching and the next run can send conditional requests.
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

struct ArchiveEntry {
  std::string url;
  std::string sha256;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::string fetched_at;
};

class Archive {
 public:
  // Creates the directory when missing and loads the index (later lines win). Throws Error.
  explicit Archive(std::string dir);

  const std::string& dir() const { return dir_; }
  std::string blob_path(std::string_view sha256) const;
  bool has_blob(std::string_view sha256) const;

  // Stores the bytes (atomically, once per content) and returns their SHA-256.
  std::string store(std::string_view bytes);
  std::string read_blob(std::string_view sha256) const;

  // The entry for a URL whose blob is still present, or nullptr.
  const ArchiveEntry* find(std::string_view url) const;
  // Updates the index in memory and appends the entry to index.jsonl.
  void record(const ArchiveEntry& entry);

 private:
  std::string dir_;
  std::map<std::string, ArchiveEntry, std::less<>> index_;
  std::ofstream index_out_;
};

}  // namespace trialmill
