#pragma once
// File input with the guards every stage needs: size limit, clear errors naming the path.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace trialmill {

// Pages larger than this are refused rather than read (hostile or broken input).
inline constexpr size_t kDefaultMaxInputBytes = 64u * 1024u * 1024u;

// How long reading a pipe or FIFO waits for its next bytes before it gives up.
inline constexpr int kInputWaitSeconds = 10;

// Reads a whole file; throws Error naming the path on a missing, unreadable or oversized file.
// A pipe, FIFO or device (`<(…)`, /dev/stdin) is read to its end, each wait bounded as above.
std::string read_file(const std::string& path, size_t max_bytes = kDefaultMaxInputBytes);

// A file mapped read-only: its bytes without copying them (API pages can be hundreds of MB).
// Throws Error naming the reason when the file cannot be opened or mapped. A pipe, FIFO or
// device is read whole into memory instead (as read_file).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const {
    return data_ ? std::string_view(static_cast<const char*>(data_), size_)
                 : std::string_view(owned_);
  }

 private:
  void* data_ = nullptr;
  std::string owned_;  // the bytes of a file that cannot be mapped
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
