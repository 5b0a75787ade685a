#include "trialmill/store/stored_records.hpp"

namespace trialmill {

StoredSourceLookup::StoredSourceLookup(SQLite::Database& db) : db_(db) {}
StoredSourceLookup::~StoredSourceLookup() = default;

std::optional<JsonDocument> StoredSourceLookup::find(const std::string& nct_id,
                                                     const std::string& format,
                                                     const std::string& url) {
  if (!select_) {
    select_ = std::make_unique<SQLite::Statement>(
        db_,
        "SELECT record_json FROM sources WHERE nct_id = ? AND format = ? AND ifnull(url, '') = ?");
  }
  SQLite::Statement& select = *select_;
  select.reset();
  select.bind(1, nct_id);
  select.bind(2, format);
  select.bind(3, url);
  if (!select.executeStep()) return std::nullopt;
  return parse_json(select.getColumn(0).getString(), "stored source record");
}

std::vector<StoredPage> stored_pages_of(SQLite::Database& db,
                                        const std::vector<std::string>& nct_ids) {
  std::vector<StoredPage> out;
  SQLite::Statement select(
      db, "SELECT format, url FROM sources WHERE nct_id = ? AND url IS NOT NULL ORDER BY id");
  for (const auto& id : nct_ids) {
    select.reset();
    select.bind(1, id);
    while (select.executeStep())
      out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(), id});
  }
  return out;
}

namespace {

// " AND column IN (?, ?, ...)" for `count` values; nothing for none.
std::string in_list(const char* column, size_t count) {
  if (count == 0) return {};
  std::string sql = std::string(" AND ") + column + " IN (?";
  for (size_t i = 1; i < count; ++i) sql += ", ?";
  return sql + ")";
}

}  // namespace

std::vector<ArchivedPage> archived_pages(SQLite::Database& db,
                                         const std::vector<std::string>& formats,
                                         const std::vector<std::string>& nct_ids) {
  std::string sql =
      "SELECT url, format, sha256, max(fetched_at) FROM sources "
      "WHERE sha256 IS NOT NULL AND url IS NOT NULL" +
      in_list("format", formats.size()) + in_list("nct_id", nct_ids.size()) +
      " GROUP BY url, format, sha256 ORDER BY min(id)";
  SQLite::Statement select(db, sql);
  int index = 1;
  for (const auto& format : formats) select.bind(index++, format);
  for (const auto& id : nct_ids) select.bind(index++, id);
  std::vector<ArchivedPage> out;
  while (select.executeStep()) {
    ArchivedPage row{select.getColumn(0).getString(), select.getColumn(1).getString(),
                     select.getColumn(2).getString(), std::nullopt};
    if (!select.getColumn(3).isNull()) row.fetched_at = select.getColumn(3).getString();
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<JsonDocument> stored_trial_record(SQLite::Database& db, const std::string& nct_id) {
  SQLite::Statement select(db, "SELECT record_json FROM trials WHERE nct_id = ?");
  select.bind(1, nct_id);
  if (!select.executeStep()) return std::nullopt;
  return parse_json(select.getColumn(0).getString(), "stored trial");
}

int64_t last_change_id(SQLite::Database& db) {
  return db.execAndGet("SELECT ifnull(max(id), 0) FROM trial_changes").getInt64();
}

std::vector<TrialChange> trial_changes_since(SQLite::Database& db, const std::string& nct_id,
                                             int64_t after_id) {
  SQLite::Statement select(db,
                           "SELECT c.field, c.old_value, c.new_value, s.format, c.changed_at "
                           "FROM trial_changes c LEFT JOIN sources s ON s.id = c.source_id "
                           "WHERE c.nct_id = ? AND c.id > ? ORDER BY c.id");
  select.bind(1, nct_id);
  select.bind(2, after_id);
  std::vector<TrialChange> out;
  while (select.executeStep()) {
    TrialChange change;
    change.field = select.getColumn(0).getString();
    if (!select.getColumn(1).isNull())
      change.old_value = parse_json(select.getColumn(1).getString(), "stored change");
    if (!select.getColumn(2).isNull())
      change.new_value = parse_json(select.getColumn(2).getString(), "stored change");
    if (!select.getColumn(3).isNull()) change.source_format = select.getColumn(3).getString();
    change.changed_at = select.getColumn(4).getString();
    out.push_back(std::move(change));
  }
  return out;
}

TrialsMark mark_trials(SQLite::Database& db) {
  TrialsMark mark;
  mark.trials = db.execAndGet("SELECT count(*) FROM trials").getInt64();
  mark.last_trial_rowid = db.execAndGet("SELECT ifnull(max(rowid), 0) FROM trials").getInt64();
  mark.last_change_id = last_change_id(db);
  return mark;
}

TrialsSinceMark trials_since(SQLite::Database& db, const TrialsMark& mark) {
  TrialsSinceMark since;
  since.added =
      static_cast<size_t>(db.execAndGet("SELECT count(*) FROM trials").getInt64() - mark.trials);
  SQLite::Statement changed(db,
                            "SELECT count(DISTINCT c.nct_id) FROM trial_changes c "
                            "JOIN trials t ON t.nct_id = c.nct_id WHERE c.id > ? AND t.rowid <= ?");
  changed.bind(1, mark.last_change_id);
  changed.bind(2, mark.last_trial_rowid);
  changed.executeStep();
  since.changed = static_cast<size_t>(changed.getColumn(0).getInt64());
  return since;
}

}  // namespace trialmill
