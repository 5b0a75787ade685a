#include "trialmill/store/history.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/record_hash.hpp"

namespace trialmill {
namespace {

std::optional<std::string> text_column(SQLite::Statement& s, int i) {
  if (s.getColumn(i).isNull()) return std::nullopt;
  return s.getColumn(i).getString();
}

// The date part of an ISO date or timestamp ("2019-04-18", "2019-04", "2019-04-18T…").
std::string date_part(std::string_view s) {
  return std::string(s.substr(0, std::min<size_t>(s.size(), 10)));
}

// What the store holds for the trial, as a date: the stored record's last_update_posted, else
// the newest version imported before; nullopt when the trial is not stored.
struct Stored {
  bool trial = false;
  std::optional<std::string> date;
};

Stored stored_state(SQLite::Database& db, const std::string& nct_id) {
  Stored out;
  SQLite::Statement trial(db, "SELECT record_json FROM trials WHERE nct_id = ?");
  trial.bind(1, nct_id);
  if (trial.executeStep()) {
    out.trial = true;
    JsonDocument record =
        parse_json(trial.getColumn(0).getString(), str_cat("stored trial ", nct_id));
    if (auto d = get_string(record, "last_update_posted")) out.date = date_part(*d);
  }
  if (!out.date) {
    SQLite::Statement newest(db, "SELECT max(version_date) FROM trial_versions WHERE nct_id = ?");
    newest.bind(1, nct_id);
    if (newest.executeStep() && !newest.getColumn(0).isNull())
      out.date = newest.getColumn(0).getString();
  }
  return out;
}

// Rewrites the study's history rows from its stored versions, oldest first: one row per
// contract field whose value differs between a version and the one before it.
size_t rewrite_history_rows(SQLite::Database& db, const std::string& nct_id) {
  SQLite::Statement clear(
      db, "DELETE FROM trial_changes WHERE nct_id = ? AND version_date IS NOT NULL");
  clear.bind(1, nct_id);
  clear.exec();
  SQLite::Statement select(db,
                           "SELECT version_date, record_json FROM trial_versions WHERE nct_id = ? "
                           "ORDER BY version_date");
  select.bind(1, nct_id);
  SQLite::Statement insert(
      db,
      "INSERT INTO trial_changes (nct_id, field, old_value, new_value, source_id, "
      "changed_at, version_date) VALUES (?, ?, ?, ?, NULL, ?, ?)");
  std::optional<JsonDocument> before;
  size_t rows = 0;
  static const JsonValue kNull;
  while (select.executeStep()) {
    const std::string date = select.getColumn(0).getString();
    JsonDocument after =
        parse_json(select.getColumn(1).getString(), str_cat("version ", date, " of ", nct_id));
    if (before) {
      for (const FieldSpec& spec : trial_fields()) {
        if (spec.name == "nct_id") continue;
        const JsonValue* a = find_member(*before, spec.name);
        const JsonValue* b = find_member(after, spec.name);
        std::string old_value = canonical_json(a ? *a : kNull);
        std::string new_value = canonical_json(b ? *b : kNull);
        if (old_value == new_value) continue;
        insert.bind(1, nct_id);
        insert.bind(2, std::string(spec.name));
        insert.bind(3, old_value);
        insert.bind(4, new_value);
        insert.bind(5, date);
        insert.bind(6, date);
        insert.exec();
        insert.reset();
        ++rows;
      }
    }
    before = std::move(after);
  }
  return rows;
}

}  // namespace

HistoryImportResult import_trial_versions(TrialStore& store, const std::string& nct_id,
                                          std::vector<TrialVersion>& versions) {
  HistoryImportResult result;
  result.versions = versions.size();
  if (versions.empty()) return result;
  std::stable_sort(
      versions.begin(), versions.end(),
      [](const TrialVersion& a, const TrialVersion& b) { return a.version_date < b.version_date; });
  SQLite::Database& db = store.database();
  store.commit();
  const Stored stored = stored_state(db, nct_id);
  TrialVersion& newest = versions.back();

  // The current record: only a newer version than what is stored may change it.
  if (!stored.trial || (stored.date && newest.version_date > *stored.date)) {
    StoreOutcome outcome = store.add(newest.record, newest.input);
    store.commit();
    if (outcome == StoreOutcome::failed)
      throw make_error(newest.input, ": the newest version could not be stored");
    result.current_changed = outcome == StoreOutcome::inserted || outcome == StoreOutcome::updated;
  }

  SQLite::Transaction transaction(db);
  SQLite::Statement existing(
      db, "SELECT record_json FROM trial_versions WHERE nct_id = ? AND version_date = ?");
  SQLite::Statement upsert(
      db,
      "INSERT INTO trial_versions (nct_id, version_date, format, sha256, record_json, "
      "imported_at) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (nct_id, version_date) DO UPDATE SET format = excluded.format, "
      "sha256 = excluded.sha256, record_json = excluded.record_json, "
      "imported_at = excluded.imported_at");
  const std::string now = utc_now_iso8601();
  for (const TrialVersion& v : versions) {
    std::string json = canonical_json(v.record);
    existing.bind(1, nct_id);
    existing.bind(2, v.version_date);
    bool same =
        existing.executeStep() &&
        canonical_json(parse_json(existing.getColumn(0).getString(), "stored version")) == json;
    existing.reset();
    if (same) continue;
    const JsonValue* source = find_member(v.record, "source");
    upsert.bind(1, nct_id);
    upsert.bind(2, v.version_date);
    upsert.bind(3, source ? get_string(*source, "format").value_or("") : std::string());
    if (auto sha = source ? get_string(*source, "sha256") : std::nullopt)
      upsert.bind(4, *sha);
    else
      upsert.bind(4);
    upsert.bind(5, json);
    upsert.bind(6, now);
    upsert.exec();
    upsert.reset();
    ++result.new_versions;
  }
  // Rows are rewritten only when the versions changed: an import of what is stored writes nothing.
  if (result.new_versions) {
    result.changes = rewrite_history_rows(db, nct_id);
  } else {
    SQLite::Statement count(
        db, "SELECT count(*) FROM trial_changes WHERE nct_id = ? AND version_date IS NOT NULL");
    count.bind(1, nct_id);
    count.executeStep();
    result.changes = static_cast<size_t>(count.getColumn(0).getInt64());
  }
  transaction.commit();
  return result;
}

std::vector<TrialChangeRow> trial_change_rows(SQLite::Database& db, const std::string& nct_id) {
  SQLite::Statement select(
      db,
      "SELECT c.id, c.nct_id, c.field, c.old_value, c.new_value, c.changed_at, "
      "c.version_date, s.format FROM trial_changes c LEFT JOIN sources s ON s.id = "
      "c.source_id WHERE c.nct_id = ? "
      "ORDER BY coalesce(c.version_date, c.changed_at), c.id");
  select.bind(1, nct_id);
  std::vector<TrialChangeRow> out;
  while (select.executeStep()) {
    TrialChangeRow row;
    row.id = select.getColumn(0).getInt64();
    row.nct_id = select.getColumn(1).getString();
    row.field = select.getColumn(2).getString();
    row.old_value = text_column(select, 3);
    row.new_value = text_column(select, 4);
    row.changed_at = select.getColumn(5).getString();
    row.version_date = text_column(select, 6);
    row.source_format = text_column(select, 7);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace trialmill
