#include "same_rows_floor.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "trialmill/error.hpp"
#include "trialmill/store/schema.hpp"

namespace trialmill::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double file_mb(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? 0.0 : static_cast<double>(size) / (1024.0 * 1024.0);
}

}  // namespace

double same_rows_floor(const fs::path& loaded, const fs::path& path, double* mb) {
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  double seconds = 0;
  {
    SQLite::Database db = open_store_database(path.string());
    drop_bulk_load_indexes(db);
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec("PRAGMA cache_size = -65536");
    db.exec("PRAGMA wal_autocheckpoint = 16384");
    db.exec(str_cat("ATTACH DATABASE '", loaded.string(), "' AS src"));
    std::vector<std::pair<std::string, int64_t>> tables;  // name, largest rowid
    {
      SQLite::Statement list(db, "SELECT name FROM src.sqlite_master WHERE type = 'table' AND "
                                 "name NOT LIKE 'sqlite_%' AND name NOT LIKE 'trials_fts%' AND "
                                 "name NOT IN ('meta', 'runs', 'run_sources') ORDER BY name <> 'trials', name");
      while (list.executeStep()) tables.emplace_back(list.getColumn(0).getString(), 0);
    }
    for (auto& [table, last] : tables)
      last = db.execAndGet(str_cat("SELECT ifnull(max(rowid), 0) FROM src.", table)).getInt64();
    auto t = Clock::now();
    constexpr int64_t kRows = 50000;
    for (const auto& [table, last] : tables) {
      for (int64_t first = 1; first <= last; first += kRows) {
        SQLite::Transaction transaction(db);
        db.exec(str_cat("INSERT INTO main.", table, " SELECT * FROM src.", table, " WHERE rowid BETWEEN ",
                        first, " AND ", first + kRows - 1));
        transaction.commit();
      }
    }
    create_missing_indexes(db);
    db.exec("INSERT INTO trials_fts (trials_fts) VALUES ('rebuild')");
    seconds = since(t);
    db.exec("DETACH DATABASE src");
  }
  *mb = file_mb(path) + file_mb(path.string() + "-wal");
  return seconds;
}

}  // namespace trialmill::bench
