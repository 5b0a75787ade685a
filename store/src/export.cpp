#include "trialmill/store/export.hpp"

#include <filesystem>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cmath>

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/schema.hpp"

namespace trialmill {
namespace {

std::string where_status(const ExportOptions& options) {
  return options.status ? " WHERE overall_status = ?" : "";
}

// A REAL threshold bound as JSON, whole numbers as integers (as normalize writes them).
JsonValue number_json(SQLite::Column column) {
  if (column.isNull()) return JsonValue(rapidjson::kNullType);
  double value = column.getDouble();
  if (std::trunc(value) == value && std::fabs(value) < 9e15)
    return JsonValue(static_cast<int64_t>(value));
  return JsonValue(value);
}

JsonValue text_json(SQLite::Column column, JsonAllocator& alloc) {
  if (column.isNull()) return JsonValue(rapidjson::kNullType);
  return make_string(column.getString(), alloc);
}

// The record trialmill-store reads back into the same trial: the canonical record, its
// thresholds, and as source the best-ranked source's format and fetched_at (no URL, so that it
// cannot be taken for that source's page).
class JsonlWriter {
 public:
  explicit JsonlWriter(SQLite::Database& db)
      : thresholds_(
            db,
            "SELECT kind, criterion, parameter, comparator, value, upper, unit, sex, "
            "condition, text, form, or_group, value_written, unit_written "
            "FROM eligibility_thresholds WHERE nct_id = ? ORDER BY ordinal"),
        sources_(db, "SELECT id, format, fetched_at FROM sources WHERE nct_id = ?"),
        precedence_(load_precedence(db)) {}

  void write(const std::string& nct_id, const std::string& record_json, std::ostream& out) {
    JsonDocument record = parse_json(record_json, str_cat("stored trial ", nct_id));
    auto& alloc = record.GetAllocator();

    JsonValue thresholds(rapidjson::kArrayType);
    thresholds_.reset();
    thresholds_.bind(1, nct_id);
    while (thresholds_.executeStep()) {
      JsonValue item(rapidjson::kObjectType);
      item.AddMember("kind", text_json(thresholds_.getColumn(0), alloc), alloc);
      item.AddMember("criterion", JsonValue(thresholds_.getColumn(1).getInt64()), alloc);
      item.AddMember("parameter", text_json(thresholds_.getColumn(2), alloc), alloc);
      item.AddMember("comparator", text_json(thresholds_.getColumn(3), alloc), alloc);
      item.AddMember("value", number_json(thresholds_.getColumn(4)), alloc);
      item.AddMember("upper", number_json(thresholds_.getColumn(5)), alloc);
      item.AddMember("unit", text_json(thresholds_.getColumn(6), alloc), alloc);
      item.AddMember("sex", text_json(thresholds_.getColumn(7), alloc), alloc);
      item.AddMember("condition", text_json(thresholds_.getColumn(8), alloc), alloc);
      item.AddMember("text", text_json(thresholds_.getColumn(9), alloc), alloc);
      item.AddMember("form", text_json(thresholds_.getColumn(10), alloc), alloc);
      item.AddMember("or_group", number_json(thresholds_.getColumn(11)), alloc);
      item.AddMember("value_written", text_json(thresholds_.getColumn(12), alloc), alloc);
      item.AddMember("unit_written", text_json(thresholds_.getColumn(13), alloc), alloc);
      thresholds.PushBack(std::move(item), alloc);
    }
    set_member(record, "eligibility_thresholds", std::move(thresholds), alloc);

    std::vector<SourceRecord> sources;
    sources_.reset();
    sources_.bind(1, nct_id);
    while (sources_.executeStep()) {
      SourceRecord source;
      source.id = sources_.getColumn(0).getInt64();
      source.format = sources_.getColumn(1).getString();
      if (!sources_.getColumn(2).isNull()) source.fetched_at = sources_.getColumn(2).getString();
      sources.push_back(std::move(source));
    }
    if (!sources.empty()) {
      sort_by_precedence(sources, precedence_);
      JsonValue source(rapidjson::kObjectType);
      set_string(source, "format", sources.front().format, alloc);
      set_member(source, "url", JsonValue(rapidjson::kNullType), alloc);
      set_member(source, "fetched_at", make_optional_string(sources.front().fetched_at, alloc),
                 alloc);
      set_member(record, "source", std::move(source), alloc);
    }
    out << to_json(record) << '\n';
  }

 private:
  SQLite::Statement thresholds_;
  SQLite::Statement sources_;
  SourcePrecedence precedence_;  // the database's, as the merge used it
};

}  // namespace

namespace {

// A WAL database on a read-only mount cannot be opened the usual way: a reader must create
// the -shm file beside it. When the log is empty or gone (the last writer checkpointed it), the
// main file is the whole database and is read as immutable: no -shm, no locks.
SQLite::Database open_readonly_connection(const std::string& path, int& version) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    version = schema_version(db);
    return db;
  } catch (const SQLite::Exception& e) {
    std::error_code ec;
    const std::string wal = path + "-wal";
    bool log_pending = std::filesystem::exists(wal, ec) && std::filesystem::file_size(wal, ec) > 0;
    if (log_pending || !std::filesystem::exists(path, ec)) throw;
    std::string uri = "file:";
    for (char c :
         std::filesystem::absolute(path, ec).string()) {  // percent-encode what a URI reserves
      if (c == '%' || c == '?' || c == '#')
        uri += str_cat('%', "0123456789ABCDEF"[(c >> 4) & 0xF], "0123456789ABCDEF"[c & 0xF]);
      else
        uri += c;
    }
    SQLite::Database db(uri + "?immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    version = schema_version(db);
    return db;
  }
}

}  // namespace

SQLite::Database open_store_database_readonly(const std::string& path) {
  try {
    int version = 0;
    SQLite::Database db = open_readonly_connection(path, version);
    if (version != kSchemaVersion)
      throw DatabaseError(version > kSchemaVersion
                              ? str_cat(path, ": database schema version ", version,
                                        " is newer than this trialmill knows (", kSchemaVersion,
                                        "); use a newer trialmill")
                              : str_cat(path, ": database schema version ", version,
                                        " is older than ", kSchemaVersion,
                                        "; run trialmill-store --db ", path,
                                        " </dev/null once to migrate it"));
    return db;
  } catch (const SQLite::Exception& e) {
    throw DatabaseError(str_cat(path, ": cannot open database: ", e.what()));
  }
}

std::vector<std::string> csv_columns(SQLite::Database& db) {
  SQLite::Statement statement(db, "SELECT * FROM trial_summary LIMIT 0");
  std::vector<std::string> names;
  for (int i = 0; i < statement.getColumnCount(); ++i)
    names.emplace_back(statement.getColumnName(i));
  return names;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

size_t export_trials(SQLite::Database& db, const ExportOptions& options, std::ostream& out) {
  // One read transaction: every statement below sees the same committed state.
  SQLite::Transaction snapshot(db);
  size_t count = 0;
  if (options.format == ExportFormat::jsonl) {
    JsonlWriter writer(db);
    SQLite::Statement trials(db, str_cat("SELECT nct_id, record_json FROM trials",
                                         where_status(options), " ORDER BY nct_id"));
    if (options.status) trials.bind(1, *options.status);
    while (trials.executeStep()) {
      writer.write(trials.getColumn(0).getString(), trials.getColumn(1).getString(), out);
      ++count;
    }
  } else {
    const std::vector<std::string> columns = csv_columns(db);
    // RFC 4180: CRLF after every record, the header included.
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << csv_field(columns[i]);
    out << "\r\n";
    SQLite::Statement rows(
        db, str_cat("SELECT * FROM trial_summary", where_status(options), " ORDER BY nct_id"));
    if (options.status) rows.bind(1, *options.status);
    while (rows.executeStep()) {
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        if (i) out << ',';
        SQLite::Column column = rows.getColumn(i);
        if (!column.isNull()) out << csv_field(column.getString());
      }
      out << "\r\n";
      ++count;
    }
  }
  return count;
}

}  // namespace trialmill
