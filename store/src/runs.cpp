#include "trialmill/store/runs.hpp"

#include <SQLiteCpp/Statement.h>

#include "trialmill/io.hpp"

namespace trialmill {

std::string_view run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::running:
      return "running";
    case RunStatus::ok:
      return "ok";
    case RunStatus::partial:
      return "partial";
    case RunStatus::held:
      return "held";
    case RunStatus::error:
      return "error";
    case RunStatus::interrupted:
      return "interrupted";
  }
  return "error";
}

int64_t begin_run(SQLite::Database& db, std::string_view command) {
  SQLite::Statement insert(db, "INSERT INTO runs (started_at, command, status) VALUES (?, ?, ?)");
  insert.bind(1, utc_now_iso8601());
  insert.bind(2, std::string(command));
  insert.bind(3, std::string(run_status_name(RunStatus::running)));
  insert.exec();
  return db.getLastInsertRowid();
}

bool run_was_held(SQLite::Database& db, int64_t id) {
  SQLite::Statement select(db, "SELECT status FROM runs WHERE id = ?");
  select.bind(1, id);
  return select.executeStep() &&
         select.getColumn(0).getString() == run_status_name(RunStatus::held);
}

void update_run(SQLite::Database& db, int64_t id, size_t records_read, const StoreStats& stats,
                RunStatus status) {
  SQLite::Statement update(db,
                           "UPDATE runs SET records_read = ?, inserted = ?, updated = ?, "
                           "unchanged = ?, failed = ?, status = ?, finished_at = ? WHERE id = ?");
  update.bind(1, static_cast<int64_t>(records_read));
  update.bind(2, static_cast<int64_t>(stats.inserted));
  update.bind(3, static_cast<int64_t>(stats.updated));
  update.bind(4, static_cast<int64_t>(stats.unchanged));
  update.bind(5, static_cast<int64_t>(stats.failed));
  update.bind(6, std::string(run_status_name(status)));
  if (status == RunStatus::running) {
    update.bind(7);
  } else {
    update.bind(7, utc_now_iso8601());
  }
  update.bind(8, id);
  update.exec();
}

void update_run_pages(SQLite::Database& db, int64_t id, const RunPages& pages,
                      const std::optional<std::string>& message) {
  SQLite::Statement update(db,
                           "UPDATE runs SET pages_fetched = ?, pages_unchanged = ?, "
                           "pages_parsed = ?, pages_failed = ?, records_held = ?, "
                           "trials_withdrawn = ?, message = ? WHERE id = ?");
  update.bind(1, static_cast<int64_t>(pages.fetched));
  update.bind(2, static_cast<int64_t>(pages.unchanged));
  update.bind(3, static_cast<int64_t>(pages.parsed));
  update.bind(4, static_cast<int64_t>(pages.failed));
  update.bind(5, static_cast<int64_t>(pages.records_held));
  update.bind(6, static_cast<int64_t>(pages.trials_withdrawn));
  if (message)
    update.bind(7, *message);
  else
    update.bind(7);
  update.bind(8, id);
  update.exec();
}

std::optional<std::string> last_good_run_date(SQLite::Database& db, std::string_view command) {
  SQLite::Statement select(db,
                           "SELECT substr(started_at, 1, 10) FROM runs "
                           "WHERE status = 'ok' AND (command = ? OR command LIKE ? || ' %') "
                           "ORDER BY id DESC LIMIT 1");
  select.bind(1, std::string(command));
  select.bind(2, std::string(command));
  if (!select.executeStep()) return std::nullopt;
  return select.getColumn(0).getString();
}

size_t mark_interrupted_runs(SQLite::Database& db, const std::vector<std::string>& commands) {
  SQLite::Statement update(db,
                           "UPDATE runs SET status = 'interrupted', "
                           "finished_at = ifnull(finished_at, ?) "
                           "WHERE status = 'running' AND (command = ? OR command LIKE ? || ' %')");
  size_t marked = 0;
  for (const auto& command : commands) {
    update.reset();
    update.bind(1, utc_now_iso8601());
    update.bind(2, command);
    update.bind(3, command);
    marked += static_cast<size_t>(update.exec());
  }
  return marked;
}

}  // namespace trialmill
