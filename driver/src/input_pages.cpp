#include "trialmill/driver/input_pages.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"
#include "trialmill/zip_reader.hpp"

namespace trialmill {
namespace fs = std::filesystem;

bool is_zip_path(const std::string& path) {
  return iends_with(path, ".zip");
}

namespace {

// Every regular file under a folder, in name order (so runs are repeatable); hidden files and
// folders (".git", editor backups) are left out.
std::vector<std::string> folder_files(const std::string& folder) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw make_error("cannot read folder ", folder, ": ", ec.message());
  for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) throw make_error("cannot read folder ", folder, ": ", ec.message());
    std::string name = it->path().filename().string();
    if (!name.empty() && name.front() == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class InputPages {
 public:
  explicit InputPages(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  bool next(LoadPage& page) {
    while (true) {
      if (zip_) {
        auto entry = std::make_shared<ZipEntry>();
        bool more;
        try {
          more = zip_->next(*entry);
        } catch (const Error&) {
          page.name = zip_->path();
          throw;  // this entry is counted as failed; the next call goes on with the rest
        }
        if (more) {
          page.name = str_cat(zip_->path(), ":", entry->name);
          page.bytes = entry->bytes;
          page.owner = std::move(entry);
          return true;
        }
        zip_.reset();
      }
      if (stdin_) {
        if (stdin_(page)) return true;
        stdin_ = nullptr;
      }
      if (!pending_.empty()) {
        std::string path = std::move(pending_.back());
        pending_.pop_back();
        if (open(path, page)) return true;
        continue;
      }
      if (next_ >= paths_.size()) return false;
      const std::string& path = paths_[next_++];
      if (path != "-" && fs::is_directory(path)) {
        std::vector<std::string> files = folder_files(path);
        std::reverse(files.begin(), files.end());  // taken from the back
        pending_ = std::move(files);
        continue;
      }
      if (open(path, page)) return true;
    }
  }

 private:
  // A ZIP archive or stdin starts being read (false: their pages come on the next turns); any
  // other file is one page, read by the load's own file source.
  bool open(const std::string& path, LoadPage& page) {
    if (is_zip_path(path)) {
      page.name = path;
      zip_.emplace(path);
      return false;
    }
    if (path == "-") {
      stdin_ = file_pages({path});
      return false;
    }
    return file_pages({path})(page);
  }

  std::vector<std::string> paths_;
  size_t next_ = 0;
  std::vector<std::string> pending_;
  std::optional<ZipReader> zip_;
  PageSource stdin_;
};

}  // namespace

PageSource input_pages(const std::vector<std::string>& paths) {
  auto state = std::make_shared<InputPages>(paths);
  return [state](LoadPage& page) { return state->next(page); };
}

}  // namespace trialmill
