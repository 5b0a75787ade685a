#include "trialmill/store/publish_source.hpp"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <charconv>

#include "trialmill/io.hpp"
#include "trialmill/store/schema.hpp"

namespace trialmill {
namespace {

// Tables that are not data to publish: the schema's own bookkeeping and the full-text index
// (PostgreSQL builds its own from the rows).
bool skipped_table(const std::string& name) {
  return name == "meta" || name.rfind("sqlite_", 0) == 0 || name.rfind("trials_fts", 0) == 0;
}

std::string join_columns(const SourceTable& table, const std::string& prefix) {
  std::string out;
  for (const SourceColumn& column : table.columns) {
    if (column.name == "search_lists") continue;  // computed, see select_list
    if (!out.empty()) out += ", ";
    out += prefix + "\"" + column.name + "\"";
  }
  return out;
}

// The select list of a table; `trials` adds what its full-text index holds from child tables.
std::string select_list(const SourceTable& table) {
  std::string list = join_columns(table, "x.");
  if (table.name == "trials")
    list +=
        ", (SELECT trim(ifnull(f.conditions, '') || ' ' || ifnull(f.interventions, '')) "
        "FROM trials_fts_content f WHERE f.nct_id = x.nct_id)";
  return list;
}

std::string order_by_all(const SourceTable& table) {
  std::string out;
  for (size_t i = 1; i <= table.columns.size(); ++i) out += (i > 1 ? ", " : "") + std::to_string(i);
  return out;
}

void emit_rows(SQLite::Statement& select, const RowSink& sink) {
  SourceRow row;
  while (select.executeStep()) {
    const int count = select.getColumnCount();
    row.assign(static_cast<size_t>(count), std::nullopt);
    for (int i = 0; i < count; ++i) {
      SQLite::Column column = select.getColumn(i);
      switch (column.getType()) {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          row[static_cast<size_t>(i)] = std::to_string(column.getInt64());
          break;
        case SQLITE_FLOAT: {
          char buffer[64];
          auto result = std::to_chars(buffer, buffer + sizeof buffer, column.getDouble());
          row[static_cast<size_t>(i)] = std::string(buffer, result.ptr);
          break;
        }
        default:
          row[static_cast<size_t>(i)] = column.getString();
      }
    }
    sink(row);
  }
}

std::string json_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const std::string& value : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : value) {  // NCT IDs: no escapes needed, but never build broken JSON
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

SQLite::Database open_read_only(const std::string& path) {
  try {
    return SQLite::Database(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
  } catch (const SQLite::Exception& e) {
    throw DatabaseError(str_cat(path, ": cannot open the database: ", e.what()));
  }
}

}  // namespace

PublishSource::PublishSource(const std::string& path)
    : now_(utc_now_iso8601()), db_(open_read_only(path)) {
  try {
    // The watermark's "now" is taken before the snapshot starts (see next_watermark).
    db_.exec("BEGIN");
    int version = schema_version();
    if (version < 3)
      throw DatabaseError(str_cat(path, ": database schema version ", version,
                                  " is too old to publish (run 'trialmill-store --db ", path,
                                  " </dev/null' to migrate it)"));
    SQLite::Statement list(db_,
                           "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY "
                           "name <> 'trials', name IN ('runs', 'run_sources'), name");
    std::vector<std::string> names;
    while (list.executeStep()) names.push_back(list.getColumn(0).getString());
    for (const std::string& name : names) {
      if (skipped_table(name)) continue;
      SourceTable table{name, {}, false};
      SQLite::Statement info(db_, "SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
      info.bind(1, name);
      while (info.executeStep())
        table.columns.push_back({info.getColumn(0).getString(), info.getColumn(1).getString()});
      for (const SourceColumn& column : table.columns)
        if (column.name == "nct_id") table.keyed_by_trial = true;
      if (!table.keyed_by_trial && name != "runs" && name != "run_sources") continue;
      if (name == "trials") table.columns.push_back({"search_lists", "TEXT"});
      tables_.push_back(std::move(table));
    }
  } catch (const SQLite::Exception& e) {
    throw DatabaseError(str_cat(path, ": cannot read the database: ", e.what()));
  }
}

PublishSource::~PublishSource() {
  db_.tryExec("ROLLBACK");
}

int PublishSource::schema_version() {
  return db_.execAndGet("PRAGMA user_version").getInt();
}

std::string PublishSource::next_watermark() {
  // A run not yet finished in this snapshot may still commit rows stamped since its start; a run
  // that starts after the snapshot stamps its rows after now_, which was read before it.
  const std::string& now = now_;
  SQLite::Statement open(db_, "SELECT min(started_at) FROM runs WHERE finished_at IS NULL");
  if (open.executeStep() && !open.getColumn(0).isNull()) {
    std::string started = open.getColumn(0).getString();
    if (started < now) return started;
  }
  return now;
}

int64_t PublishSource::first_open_run_id() {
  SQLite::Statement select(
      db_, "SELECT min(CASE WHEN finished_at IS NULL THEN id END), ifnull(max(id), 0) FROM runs");
  select.executeStep();
  if (!select.getColumn(0).isNull()) return select.getColumn(0).getInt64();
  return select.getColumn(1).getInt64() + 1;
}

std::vector<std::string> PublishSource::changed_trials(const std::string& since) {
  std::vector<std::string> ids;
  std::string sql =
      since.empty() ? "SELECT nct_id FROM trials UNION SELECT nct_id FROM sources"
                    : "SELECT nct_id FROM trials WHERE updated_at >= ?1 OR first_seen_at >= ?1 "
                      "  OR withdrawn_from_source_at >= ?1 "
                      "UNION SELECT nct_id FROM sources WHERE stored_at >= ?1 OR vanished_at >= ?1 "
                      "UNION SELECT nct_id FROM trial_changes WHERE changed_at >= ?1";
  SQLite::Statement select(db_, sql);
  if (!since.empty()) select.bind(1, since);
  while (select.executeStep()) ids.push_back(select.getColumn(0).getString());
  return ids;
}

void PublishSource::trial_rows(const SourceTable& table, const std::vector<std::string>& nct_ids,
                               const RowSink& sink) {
  SQLite::Statement select(
      db_, str_cat("SELECT ", select_list(table), " FROM \"", table.name,
                   "\" x WHERE x.nct_id IN (SELECT value FROM json_each(?)) ORDER BY ",
                   order_by_all(table)));
  select.bind(1, json_array(nct_ids));
  emit_rows(select, sink);
}

void PublishSource::run_rows(const SourceTable& table, int64_t from_run_id, const RowSink& sink) {
  const char* key = table.name == "runs" ? "id" : "run_id";
  SQLite::Statement select(
      db_, str_cat("SELECT ", select_list(table), " FROM \"", table.name, "\" x WHERE x.", key,
                   " >= ? ORDER BY ", order_by_all(table)));
  select.bind(1, from_run_id);
  emit_rows(select, sink);
}

void PublishSource::all_rows(const SourceTable& table, const RowSink& sink) {
  SQLite::Statement select(db_, str_cat("SELECT ", select_list(table), " FROM \"", table.name,
                                        "\" x ORDER BY ", order_by_all(table)));
  emit_rows(select, sink);
}

}  // namespace trialmill
