#pragma once
// A ZIP archive read entry by entry without unpacking it (libzip): each file entry's name and
// bytes, one entry in memory at a time. Used for bulk downloads of registry records (the legacy
// AllPublicXML.zip, ClinicalTrials.gov's ctg-studies.json.zip: one study per entry).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace trialmill {

struct ZipEntry {
  std::string name;   // the entry's path inside the archive
  std::string bytes;  // its uncompressed content
};

class ZipReader {
 public:
  // Entries larger than this are refused (a hostile archive's "zip bomb"); registry entries are
  // a few MB at most.
  static constexpr uint64_t kMaxEntryBytes = 512ull * 1024 * 1024;

  // Opens the archive; throws Error naming the path and libzip's reason.
  explicit ZipReader(const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::string& path() const { return path_; }
  size_t entry_count() const { return static_cast<size_t>(count_); }

  // Reads the next file entry (directories are skipped) into `entry` and returns true; false
  // after the last one. Throws Error naming the entry when it cannot be read (corrupt, too
  // large, encrypted); the reader has moved past it, so the next call goes on with the rest.
  bool next(ZipEntry& entry);

 private:
  struct Archive;
  std::string path_;
  std::unique_ptr<Archive> archive_;
  int64_t count_ = 0;
  int64_t index_ = 0;
};

}  // namespace trialmill
