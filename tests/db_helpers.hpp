#pragma once
// Reading a test's SQLite database: query rows as text, and a dump that compares whole databases.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace trialmill::test {

// All rows of a query, columns joined with '|', NULL shown as NULL.
inline std::vector<std::string> rows(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  std::vector<std::string> out;
  while (q.executeStep()) {
    std::string row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      if (i) row += "|";
      auto column = q.getColumn(i);
      row += column.isNull() ? std::string("NULL") : column.getString();
    }
    out.push_back(row);
  }
  return out;
}

// Every row of every table, sorted: equal dumps mean unchanged data. Left out: SQLite's own
// tables, the FTS index (derived), `runs`, `run_sources` and `source_confirmations` (rows or times
// per invocation, by design).
inline std::string dump_database(const std::filesystem::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  std::string out;
  for (const auto& table : rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    if (table.rfind("sqlite_", 0) == 0 || table.find("fts") != std::string::npos || table == "runs" ||
        table == "run_sources" || table == "source_confirmations")
      continue;
    out += "## " + table + "\n";
    auto lines = rows(db, "SELECT * FROM \"" + table + "\"");
    std::sort(lines.begin(), lines.end());
    for (const auto& line : lines) out += line + "\n";
  }
  return out;
}

// On the store at `path` (made by the caller), a trigger
// that fails the insert of a trial_conditions row named BOOM: a database error in the middle of
// one record's writes, after its source and trial rows.
inline void add_boom_trigger(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("CREATE TRIGGER boom BEFORE INSERT ON trial_conditions WHEN NEW.name = 'BOOM' "
          "BEGIN SELECT RAISE(ABORT, 'boom'); END");
}

}  // namespace trialmill::test
