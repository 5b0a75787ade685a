#include "trialmill/io.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <streambuf>
#include <vector>

#include "trialmill/error.hpp"

namespace trialmill {

namespace {

// An open file descriptor, closed on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Opens `path` for reading without blocking (a FIFO with no writer would block open() forever)
// and refuses a directory; `st` is its fstat.
void open_input(const std::string& path, Fd& file, struct stat& st) {
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (file.fd < 0) throw make_error("cannot open: ", std::strerror(errno));
  if (::fstat(file.fd, &st) != 0) throw make_error("cannot open: ", std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw make_error("cannot open: ", std::strerror(EISDIR));
}

// Reads a pipe, FIFO, socket or character device to its end: its st_size says nothing. Each wait
// for bytes is bounded, so a FIFO nobody writes to is refused rather than waited on forever.
std::string read_stream(int fd, size_t max_bytes) {
  std::string content;
  char buffer[65536];
  for (;;) {
    // Wait first: a FIFO whose writer has not opened it yet reads as end of file at once.
    struct pollfd wait {
      fd, POLLIN, 0
    };
    int ready;
    do ready = ::poll(&wait, 1, kInputWaitSeconds * 1000);
    while (ready < 0 && errno == EINTR);
    if (ready < 0) throw make_error("read error: ", std::strerror(errno));
    if (ready == 0)
      throw make_error("no data within ", kInputWaitSeconds,
                       " s: a pipe or FIFO that no one writes to, or a writer that stalled");
    for (;;) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        content.append(buffer, static_cast<size_t>(n));
        if (content.size() > max_bytes)
          throw make_error("file too large: over ", max_bytes, " bytes");
        continue;
      }
      if (n == 0) return content;  // every writer closed its end
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;  // the writer is still writing
      throw make_error("read error: ", std::strerror(errno));
    }
  }
}

}  // namespace

std::string read_file(const std::string& path, size_t max_bytes) {
  Fd file;
  struct stat st {};
  open_input(path, file, st);
  if (!S_ISREG(st.st_mode)) return read_stream(file.fd, max_bytes);
  if (static_cast<unsigned long long>(st.st_size) > max_bytes)
    throw make_error("file too large: ", st.st_size, " bytes (limit ", max_bytes, ")");
  ::fcntl(file.fd, F_SETFL, 0);  // a regular file: plain blocking reads
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw make_error("read error: ", std::strerror(errno));
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > max_bytes)  // the file grew
      throw make_error("file too large: over ", max_bytes, " bytes");
  }
  return content;
}

namespace {

class FdInputBuffer : public std::streambuf {
 public:
  explicit FdInputBuffer(int fd) : fd_(fd), buffer_(1u << 18) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t n;
    do n = ::read(fd_, buffer_.data(), buffer_.size());
    while (n < 0 && errno == EINTR);
    if (n <= 0) return traits_type::eof();  // a read error ends the input like end of file
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  int fd_;
  std::vector<char> buffer_;
};

}  // namespace

std::istream& standard_input() {
  static FdInputBuffer buffer(STDIN_FILENO);
  static std::istream in(&buffer);
  return in;
}

MappedFile::MappedFile(const std::string& path) {
  Fd file;
  struct stat st {};
  open_input(path, file, st);
  if (!S_ISREG(st.st_mode)) {  // `<(…)`, /dev/stdin, a FIFO: read through, not sized
    owned_ = read_stream(file.fd, kDefaultMaxInputBytes);
    size_ = owned_.size();
    return;
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, file.fd, 0);
    if (data_ == MAP_FAILED) {
      int err = errno;
      data_ = nullptr;
      throw make_error("cannot map: ", std::strerror(err));
    }
    ::madvise(data_, size_, MADV_SEQUENTIAL);
  }
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

void write_file_atomic(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  // A failed write (full disk, EFBIG, a failed rename) removes its temporary file: none is left
  // behind for the next good write to find.
  auto fail = [&](auto&&... why) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return make_error(why...);
  };
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw fail(tmp, ": cannot write: ", std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();  // flushes: a full disk shows here
    if (!out) throw fail(tmp, ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    throw fail(path, ": cannot rename: ", std::strerror(err));
  }
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw make_error("sha256 failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xF]);
  }
  return out;
}

std::string utc_now_iso8601() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace trialmill
