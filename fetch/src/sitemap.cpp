#include "trialmill/fetch/sitemap.hpp"

#include <zlib.h>

#include "trialmill/error.hpp"

namespace trialmill {

namespace {

// RAII for an inflate stream: inflateEnd on every path out.
class Inflater {
 public:
  Inflater() {
    // 16 + MAX_WBITS: a gzip header and trailer, checked by zlib.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw make_error("zlib: cannot initialise");
  }
  ~Inflater() { inflateEnd(&stream_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
};

}  // namespace

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip_if_gzipped(std::string_view bytes, size_t limit) {
  if (!is_gzip(bytes)) return std::string(bytes);
  Inflater inflater;
  z_stream& z = inflater.stream();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[64 * 1024];
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      throw make_error("corrupt gzip data (", z.msg ? z.msg : "zlib error", ")");
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > limit) throw make_error("gzip data inflates past ", limit, " bytes");
    if (rc == Z_STREAM_END) return out;
    if (rc == Z_BUF_ERROR || (z.avail_in == 0 && z.avail_out != 0))
      throw make_error("truncated gzip data");
  }
}

}  // namespace trialmill
