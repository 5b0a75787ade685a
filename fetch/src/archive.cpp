#include "trialmill/fetch/archive.hpp"

#include <filesystem>
#include <sstream>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"

namespace trialmill {

namespace fs = std::filesystem;

namespace {

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string index_path(const std::string& dir) {
  return (fs::path(dir) / "index.jsonl").string();
}

}  // namespace

Archive::Archive(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw make_error("cannot create archive directory ", dir_, ": ", ec.message());
  std::string path = index_path(dir_);
  if (fs::exists(path)) {
    std::istringstream in(read_file(path, 1u << 30));
    JsonLineReader reader(in);
    JsonLineReader::Line line;
    while (reader.next(line)) {
      try {
        JsonDocument doc = parse_json_line(line, "archive index line");
        ArchiveEntry e;
        e.url = get_string_or(doc, "url", "");
        e.sha256 = get_string_or(doc, "sha256", "");
        e.etag = get_string(doc, "etag");
        e.last_modified = get_string(doc, "last_modified");
        e.fetched_at = get_string_or(doc, "fetched_at", "");
        if (e.url.empty() || !is_sha256_hex(e.sha256)) throw make_error("needs url and sha256");
        index_[e.url] = std::move(e);
      } catch (const Error& e) {
        // A torn last line (killed mid-write) must not make the archive unusable.
        log_warning(str_cat(path, ":", line.number), str_cat("skipped: ", e.what()));
      }
    }
  }
  index_out_.open(path, std::ios::app | std::ios::binary);
  if (!index_out_) throw make_error("cannot open ", path, " for appending");
}

std::string Archive::blob_path(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) throw make_error("not a SHA-256: ", sha256);
  return (fs::path(dir_) / sha256.substr(0, 2) / sha256.substr(2, 2) / std::string(sha256))
      .string();
}

bool Archive::has_blob(std::string_view sha256) const {
  std::error_code ec;
  return is_sha256_hex(sha256) && fs::is_regular_file(blob_path(sha256), ec);
}

std::string Archive::store(std::string_view bytes) {
  std::string sha = sha256_hex(bytes);
  if (has_blob(sha)) return sha;
  fs::path path = blob_path(sha);
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw make_error("cannot create ", path.parent_path().string(), ": ", ec.message());
  write_file_atomic(path.string(), bytes);
  return sha;
}

std::string Archive::read_blob(std::string_view sha256) const {
  return read_file(blob_path(sha256));
}

const ArchiveEntry* Archive::find(std::string_view url) const {
  auto it = index_.find(url);
  if (it == index_.end() || !has_blob(it->second.sha256)) return nullptr;
  return &it->second;
}

void Archive::record(const ArchiveEntry& entry) {
  JsonDocument doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  set_string(doc, "url", entry.url, a);
  set_string(doc, "sha256", entry.sha256, a);
  set_optional_string(doc, "etag", entry.etag, a);
  set_optional_string(doc, "last_modified", entry.last_modified, a);
  set_string(doc, "fetched_at", entry.fetched_at, a);
  index_out_ << to_json(doc) << '\n';
  index_out_.flush();
  if (!index_out_) throw make_error("cannot append to ", index_path(dir_));
  index_[entry.url] = entry;
}

}  // namespace trialmill
