#pragma once
// File input with the guards every stage needs: size limit, clear errors naming the path.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace trialmill {

// Pages larger than this are refused rather than read (hostile or broken input).
inline constexpr size_t kDefaultMaxInputBytes = 64u * 1024u * 1024u;

// Reads a whole file; throws Error naming the path on a missing, unreadable or oversized file.
std::string read_file(const std::string& path, size_t max_bytes = kDefaultMaxInputBytes);

// A file mapped read-only: its bytes without copying them (API pages can be hundreds of MB).
// Throws Error naming the reason when the file cannot be opened or mapped.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

// Standard input read straight from file descriptor 0 in large blocks. std::cin, synchronized
// with C stdio, takes a libc call per byte: 20 MB/s, slower than every stage behind it.
std::istream& standard_input();

// Writes a file atomically (temporary file then rename).
void write_file_atomic(const std::string& path, std::string_view content);

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Current UTC time as ISO 8601 with seconds: 2026-11-20T02:00:00Z.
std::string utc_now_iso8601();

}  // namespace trialmill
