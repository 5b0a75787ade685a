#include "trialmill/zip_reader.hpp"

#include <zip.h>

#include "trialmill/error.hpp"

namespace trialmill {
namespace {

struct ZipCloser {
  void operator()(zip_t* zip) const { zip_discard(zip); }  // read-only: nothing to write back
};
struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

}  // namespace

struct ZipReader::Archive {
  std::unique_ptr<zip_t, ZipCloser> zip;
};

ZipReader::ZipReader(const std::string& path) : path_(path), archive_(std::make_unique<Archive>()) {
  int error = 0;
  archive_->zip.reset(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!archive_->zip) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string reason = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw make_error("cannot open ZIP archive ", path, ": ", reason);
  }
  count_ = zip_get_num_entries(archive_->zip.get(), 0);
}

ZipReader::~ZipReader() = default;

bool ZipReader::next(ZipEntry& entry) {
  zip_t* zip = archive_->zip.get();
  while (index_ < count_) {
    const zip_uint64_t index = static_cast<zip_uint64_t>(index_++);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip, index, 0, &st) != 0)
      throw make_error(path_, ": entry ", index, ": ", zip_strerror(zip));
    std::string name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : str_cat("entry ", index);
    if (!name.empty() && name.back() == '/') continue;  // a directory
    if ((st.valid & ZIP_STAT_SIZE) && st.size > kMaxEntryBytes)
      throw make_error(path_, ":", name, ": entry of ", st.size, " bytes exceeds the limit of ",
                       kMaxEntryBytes);
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip, index, 0));
    if (!file) throw make_error(path_, ":", name, ": cannot read entry: ", zip_strerror(zip));
    entry.name = std::move(name);
    entry.bytes.clear();
    if (st.valid & ZIP_STAT_SIZE) entry.bytes.reserve(static_cast<size_t>(st.size));
    char buffer[1 << 16];
    while (true) {
      zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
      if (n < 0) throw make_error(path_, ":", entry.name, ": ", zip_file_strerror(file.get()));
      if (n == 0) break;
      if (entry.bytes.size() + static_cast<size_t>(n) > kMaxEntryBytes)
        throw make_error(path_, ":", entry.name, ": entry exceeds the limit of ", kMaxEntryBytes,
                         " bytes");
      entry.bytes.append(buffer, static_cast<size_t>(n));
    }
    return true;
  }
  return false;
}

}  // namespace trialmill
