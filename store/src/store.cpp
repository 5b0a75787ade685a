#include "trialmill/store/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <map>

#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/keep_stored.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/record_hash.hpp"
#include "trialmill/store/resolve.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/trial_rows.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

bool is_database_failure(const SQLite::Exception& e) {
  switch (e.getErrorCode() & 0xFF) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return true;
    default:
      return false;
  }
}

// Tests kill the re-merge after its Nth batch (TRIALMILL_TEST_KILL_AT=remerge:N), as nightly's
// kill points do: a deterministic moment for what a random kill -9 finds only sometimes.
void remerge_kill_point(size_t batches) {
  static const char* setting = std::getenv("TRIALMILL_TEST_KILL_AT");
  if (setting && std::string_view(setting) == str_cat("remerge:", batches)) std::raise(SIGKILL);
}

// One record's writes: undone together when anything fails, without ending the batch. The
// statements come from the cache: three per record, not worth compiling each time.
class RecordSavepoint {
 public:
  explicit RecordSavepoint(StatementCache& statements) : statements_(statements) {
    statements_.get("SAVEPOINT record")->exec();
  }
  ~RecordSavepoint() {
    if (released_) return;
    try {
      statements_.get("ROLLBACK TO record")->exec();
      statements_.get("RELEASE record")->exec();
    } catch (const std::exception&) {
      // Nothing more can be done here; the transaction's own rollback remains.
    }
  }
  RecordSavepoint(const RecordSavepoint&) = delete;
  RecordSavepoint& operator=(const RecordSavepoint&) = delete;
  void release() {
    statements_.get("RELEASE record")->exec();
    released_ = true;
  }

 private:
  StatementCache& statements_;
  bool released_ = false;
};

// A threshold points into its criteria list: when the never-blank rule kept a stored criteria
// list, the stored record's thresholds of that kind are kept with it.
void keep_thresholds_of_kept_criteria(JsonValue& incoming, const JsonValue& previous,
                                      const std::vector<std::string>& kept, JsonAllocator& alloc) {
  auto was_kept = [&](std::string_view field) {
    return std::find(kept.begin(), kept.end(), field) != kept.end();
  };
  const bool keep_inclusion = was_kept("inclusion_criteria");
  const bool keep_exclusion = was_kept("exclusion_criteria");
  if (!keep_inclusion && !keep_exclusion) return;
  if (!find_member(incoming, "eligibility_thresholds") && !find_member(previous, "eligibility_thresholds"))
    return;
  JsonValue thresholds(rapidjson::kArrayType);
  auto append = [&](const JsonValue& record, std::string_view kind) {
    const JsonValue* list = find_member(record, "eligibility_thresholds");
    if (!list || !list->IsArray()) return;
    for (const auto& item : list->GetArray())
      if (item.IsObject() && get_string(item, "kind") == std::optional<std::string>(kind))
        thresholds.PushBack(JsonValue(item, alloc), alloc);
  };
  append(keep_inclusion ? previous : incoming, "inclusion");
  append(keep_exclusion ? previous : incoming, "exclusion");
  set_member(incoming, "eligibility_thresholds", std::move(thresholds), alloc);
}

std::optional<std::string> column_text(SQLite::Statement& statement, int index) {
  SQLite::Column column = statement.getColumn(index);
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

}  // namespace

void StoreStats::count(StoreOutcome outcome) {
  switch (outcome) {
    case StoreOutcome::inserted: ++inserted; break;
    case StoreOutcome::updated: ++updated; break;
    case StoreOutcome::unchanged: ++unchanged; break;
    case StoreOutcome::failed: ++failed; break;
  }
}

StoreStats& StoreStats::operator+=(const StoreStats& other) {
  inserted += other.inserted;
  updated += other.updated;
  unchanged += other.unchanged;
  failed += other.failed;
  return *this;
}

TrialStore::TrialStore(const std::string& path, bool adopt_empty)
    : db_(open_store_database(path, adopt_empty)),
      statements_(db_),
      precedence_(load_precedence(db_)) {
  create_text_staging(db_);
  if (size_t changed = remerge(kDefaultBatchSize))  // one that a killed run left half done
    log_info(str_cat(path, ": finished the re-merge under the source precedence ",
                     precedence_.to_list(), " that an earlier run left unfinished; ", changed,
                     " trials changed"));
}

PreparedRecord prepare_record(JsonDocument&& record, std::string input) {
  PreparedRecord p;
  p.record = std::move(record);
  p.input = std::move(input);
  p.problems = validate_trial_record(p.record);
  if (!p.problems.empty()) return p;
  p.nct_id = get_string_or(p.record, "nct_id", "");
  FirstSourceTexts texts = first_source_texts(p.record, p.nct_id);
  p.hash = std::move(texts.hash);
  p.json = std::move(texts.json);
  const JsonValue& source = p.record["source"];
  SourceRecord only;
  only.format = get_string_or(source, "format", "");
  only.fetched_at = get_string(source, "fetched_at");
  only.record = &p.record;
  p.merged = merge_sources(p.nct_id, {std::move(only)});  // one source: no precedence to apply
  p.merged_json = std::move(texts.merged_json);
  p.content_hash = std::move(texts.content_hash);
  p.text = trial_text(p.merged.record);
  return p;
}

StoreOutcome TrialStore::add(const JsonValue& record, std::string_view input) {
  JsonDocument copy;
  copy.CopyFrom(record, copy.GetAllocator());
  return add(prepare_record(std::move(copy), std::string(input)));
}

StoreOutcome TrialStore::add(const PreparedRecord& prepared) {
  // A page without an NCT ID (nct_id null): resolved to the one stored trial its protocol
  // numbers or title name, then stored as another source of it; else refused with why.
  if (!prepared.problems.empty() && prepared.record.IsObject() && prepared.record.HasMember("nct_id") &&
      prepared.record["nct_id"].IsNull()) {
    JsonDocument copy;
    copy.CopyFrom(prepared.record, copy.GetAllocator());
    try {
      resolve_in_place(db_, copy);
    } catch (const Error& e) {
      log_error(prepared.input, str_cat("rejected: ", e.what()));
      stats_.count(StoreOutcome::failed);
      ++pending_;
      return StoreOutcome::failed;
    }
    return add(prepare_record(std::move(copy), prepared.input));
  }
  if (!prepared.problems.empty()) {
    auto nct_id = get_string(prepared.record, "nct_id");
    std::string subject = nct_id && !nct_id->empty() ? str_cat(*nct_id, ": ") : std::string();
    log_error(prepared.input, str_cat(subject, "rejected: ", join(prepared.problems, "; ")));
    stats_.count(StoreOutcome::failed);
    ++pending_;
    return StoreOutcome::failed;
  }
  return add_checked(prepared);
}

bool TrialStore::is_known(const std::string& nct_id) {
  // With foreign keys on, a trial without a row has no child, provenance or threshold rows.
  auto select = statements_.get(
      "SELECT EXISTS (SELECT 1 FROM sources WHERE nct_id = ?1) "
      "OR EXISTS (SELECT 1 FROM trials WHERE nct_id = ?1)");
  select->bind(1, nct_id);
  select->executeStep();
  return select->getColumn(0).getInt() != 0;
}

StoreOutcome TrialStore::add_checked(const PreparedRecord& prepared) {
  StoreOutcome outcome = StoreOutcome::failed;
  if (!transaction_) transaction_.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
  bool known = is_known(prepared.nct_id);  // in the transaction: no other writer in between
  if (known && bulk_loading_) {
    // A stored trial is merged and its rows replaced, which needs the indexes.
    end_bulk_load();
    transaction_.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
  }
  try {
    RecordSavepoint savepoint(statements_);
    outcome = write_record(prepared, known);
    savepoint.release();
  } catch (const SQLite::Exception& e) {
    // The database, not the record, failed (full disk, read-only file, lock timeout, I/O):
    // nothing more can be stored, and the caller must stop rather than count failed records.
    if (is_database_failure(e)) throw DatabaseError(str_cat(db_.getFilename(), ": ", e.what()));
    log_error(prepared.input, str_cat(prepared.nct_id, ": not stored: ", e.what()));
    outcome = StoreOutcome::failed;
  } catch (const std::exception& e) {
    // The savepoint undid this record's writes, its staged text included; the batch goes on.
    log_error(prepared.input, str_cat(prepared.nct_id, ": not stored: ", e.what()));
    outcome = StoreOutcome::failed;
  }
  stats_.count(outcome);
  ++pending_;
  return outcome;
}

void TrialStore::commit() {
  if (transaction_) {
    try {
      index_staged_text(statements_);
      transaction_->commit();
    } catch (const SQLite::Exception& e) {
      transaction_.reset();  // rolled back: the batch is lost, the earlier ones stand
      pending_ = 0;
      throw DatabaseError(str_cat(db_.getFilename(), ": cannot commit: ", e.what()));
    }
    transaction_.reset();
  }
  pending_ = 0;
}

bool TrialStore::begin_bulk_load() {
  commit();
  if (bulk_loading_) return true;
  {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    if (db_.execAndGet("SELECT EXISTS (SELECT 1 FROM trials) OR EXISTS (SELECT 1 FROM sources)")
            .getInt())
      return false;
    drop_bulk_load_indexes(db_);
    transaction.commit();
  }
  // Appended rows are checked by construction: a trial's rows are written right after its row.
  db_.exec("PRAGMA foreign_keys = OFF");
  bulk_loading_ = true;
  return true;
}

void TrialStore::end_bulk_load() {
  if (!bulk_loading_) return;
  commit();
  create_missing_indexes(db_);
  db_.exec("PRAGMA foreign_keys = ON");
  bulk_loading_ = false;
}

StoreStats TrialStore::store_batch(const std::vector<LabelledRecord>& records) {
  StoreStats batch;
  for (const auto& item : records)
    if (item.record) batch.count(add(*item.record, item.input));
  commit();
  return batch;
}

StoreOutcome TrialStore::write_new_trial(const PreparedRecord& p) {
  const JsonValue& source = p.record["source"];
  const auto url = get_string(source, "url");
  const std::string now = utc_now_iso8601();
  int64_t source_id = 0;
  {
    auto write = statements_.get(
        "INSERT INTO sources (url, fetched_at, sha256, stored_at, record_hash, record_json, "
        "nct_id, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    bind_value(*write, 1, url ? SqlValue{*url} : SqlValue{});
    bind_value(*write, 2, sql_value(find_member(source, "fetched_at")));
    bind_value(*write, 3, sql_value(find_member(source, "sha256")));
    write->bind(4, now);
    write->bindNoCopy(5, p.hash);  // `p` outlives the statement's execution
    write->bindNoCopy(6, p.json);
    write->bindNoCopy(7, p.nct_id);
    write->bind(8, get_string_or(source, "format", ""));
    write->exec();
    source_id = db_.getLastInsertRowid();
  }
  upsert_trial_row(statements_, p.merged.record, p.content_hash, TrialRowTimes{now, now},
                   &p.merged_json);
  insert_child_rows(statements_, p.merged.record);
  stage_trial_text(statements_, p.text);
  // The record is the only source: it gave every field with a value, thresholds included.
  auto has = [&](const char* field) { return p.merged.provenance.count(field) != 0; };
  insert_eligibility_thresholds(statements_, p.nct_id,
                                has("inclusion_criteria") ? &p.record : nullptr,
                                has("exclusion_criteria") ? &p.record : nullptr);
  auto insert = statements_.get(
      "INSERT INTO field_provenance (nct_id, field, source_id) VALUES (?, ?, ?)");
  for (const auto& [field, unused] : p.merged.provenance) {
    insert->bind(1, p.nct_id);
    insert->bind(2, field);
    insert->bind(3, source_id);
    insert->exec();
    insert->reset();
  }
  return StoreOutcome::inserted;
}

StoreOutcome TrialStore::write_record(const PreparedRecord& prepared, bool known) {
  // The common case of a first load: nothing stored for this trial, so the prepared merge of
  // the record alone is the canonical trial.
  if (!known) return write_new_trial(prepared);
  const JsonValue& record = prepared.record;
  const std::string& nct_id = prepared.nct_id;
  const std::string& input = prepared.input;
  const JsonValue& source = record["source"];
  const std::string format = get_string_or(source, "format", "");
  const auto url = get_string(source, "url");
  const std::string& hash = prepared.hash;

  std::optional<int64_t> existing_id;
  std::string existing_json;
  {
    auto find = statements_.get(
        "SELECT id, record_hash, record_json FROM sources "
        "WHERE nct_id = ? AND format = ? AND ifnull(url, '') = ?");
    find->bind(1, nct_id);
    find->bind(2, format);
    find->bind(3, url.value_or(""));
    if (find->executeStep()) {
      if (find->getColumn(1).getString() == hash) return StoreOutcome::unchanged;
      existing_id = find->getColumn(0).getInt64();
      existing_json = find->getColumn(2).getString();
    }
  }

  JsonDocument stored_record;
  stored_record.CopyFrom(record, stored_record.GetAllocator());
  if (existing_id) {
    JsonDocument previous = parse_json(existing_json, str_cat("stored source record ", *existing_id));
    bool truncated = is_truncated_record(record);
    auto kept = keep_stored_values(stored_record, previous, truncated, stored_record.GetAllocator());
    keep_thresholds_of_kept_criteria(stored_record, previous, kept, stored_record.GetAllocator());
    if (!kept.empty())
      log_warning(input, str_cat(nct_id, ": kept the stored value of fields ",
                                 truncated ? "of the truncated " : "that are empty in the new ",
                                 format, " record: ", join(kept, ", ")));
  }

  const std::string now = utc_now_iso8601();
  std::vector<SqlValue> values = {url ? SqlValue{*url} : SqlValue{},
                                  sql_value(find_member(source, "fetched_at")),
                                  sql_value(find_member(source, "sha256")),
                                  now,
                                  hash,
                                  existing_id ? to_json(stored_record) : prepared.json};
  int64_t source_id = 0;
  {
    auto write = statements_.get(
        existing_id ? "UPDATE sources SET url = ?, fetched_at = ?, sha256 = ?, stored_at = ?, "
                      "record_hash = ?, record_json = ? WHERE id = ?"
                    : "INSERT INTO sources (url, fetched_at, sha256, stored_at, record_hash, "
                      "record_json, nct_id, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < values.size(); ++i) bind_value(*write, static_cast<int>(i + 1), values[i]);
    if (existing_id) {
      write->bind(7, *existing_id);
    } else {
      write->bind(7, nct_id);
      write->bind(8, format);
    }
    write->exec();
    source_id = existing_id ? *existing_id : db_.getLastInsertRowid();
  }

  bool trial_is_new = false;
  update_trial(nct_id, source_id, trial_is_new);
  return trial_is_new ? StoreOutcome::inserted : StoreOutcome::updated;
}

bool TrialStore::update_trial(const std::string& nct_id, int64_t source_id, bool& trial_is_new) {
  // Every source record of the trial, merged.
  std::vector<JsonDocument> documents;
  std::vector<SourceRecord> sources;
  {
    auto select = statements_.get(
        "SELECT id, format, fetched_at, record_json FROM sources WHERE nct_id = ? ORDER BY id");
    select->bind(1, nct_id);
    while (select->executeStep()) {
      SourceRecord source;
      source.id = select->getColumn(0).getInt64();
      source.format = select->getColumn(1).getString();
      source.fetched_at = column_text(*select, 2);
      sources.push_back(std::move(source));
      documents.push_back(parse_json(select->getColumn(3).getString(),
                                     str_cat("stored source record ", sources.back().id)));
    }
  }
  std::map<int64_t, const JsonValue*> record_of_source;
  for (size_t i = 0; i < sources.size(); ++i) {
    sources[i].record = &documents[i];
    record_of_source[sources[i].id] = &documents[i];
  }
  MergedTrial merged = merge_sources(nct_id, std::move(sources), precedence_);
  const std::string content_hash = sha256_hex(canonical_json(merged.record));

  std::optional<std::string> old_hash, old_json, first_seen_at;
  {
    auto select = statements_.get(
        "SELECT content_hash, record_json, first_seen_at FROM trials WHERE nct_id = ?");
    select->bind(1, nct_id);
    if (select->executeStep()) {
      old_hash = select->getColumn(0).getString();
      old_json = select->getColumn(1).getString();
      first_seen_at = select->getColumn(2).getString();
    }
  }
  trial_is_new = !old_hash;
  const std::string now = utc_now_iso8601();

  if (old_hash != content_hash) {
    if (old_json) {
      JsonDocument old_record = parse_json(*old_json, str_cat("stored trial ", nct_id));
      static const JsonValue kNull;
      for (const FieldSpec& spec : trial_fields()) {
        if (spec.name == "nct_id") continue;
        const JsonValue* before = find_member(old_record, spec.name);
        const JsonValue* after = find_member(merged.record, spec.name);
        if (!before) before = &kNull;
        if (!after) after = &kNull;
        if (canonical_json(*before) == canonical_json(*after)) continue;
        auto insert = statements_.get(
            "INSERT INTO trial_changes (nct_id, field, old_value, new_value, source_id, "
            "changed_at) VALUES (?, ?, ?, ?, ?, ?)");
        insert->bind(1, nct_id);
        insert->bind(2, std::string(spec.name));
        insert->bind(3, canonical_json(*before));
        insert->bind(4, canonical_json(*after));
        if (source_id) insert->bind(5, source_id);
        else insert->bind(5);
        insert->bind(6, now);
        insert->exec();
      }
    }
    if (old_json) {
      // Its indexed text leaves trials_fts, read from the rows it was indexed from, unless an
      // earlier record of this batch took it out already.
      if (!is_text_staged(statements_, trial_text_key(nct_id))) remove_trial_text(statements_, nct_id);
      delete_child_rows(statements_, nct_id);
    }
    upsert_trial_row(statements_, merged.record, content_hash,
                     TrialRowTimes{first_seen_at.value_or(now), now});
    insert_child_rows(statements_, merged.record);
    stage_trial_text(statements_, trial_text(merged.record));
  }

  // Thresholds are not contract fields (not in the content hash): compared and written on their own.
  auto source_of = [&](const char* field) -> const JsonValue* {
    auto it = merged.provenance.find(field);
    return it == merged.provenance.end() ? nullptr : record_of_source[it->second];
  };
  replace_eligibility_thresholds(statements_, nct_id, source_of("inclusion_criteria"),
                                 source_of("exclusion_criteria"));

  // Provenance can move to another source even when no value changed; write only the difference.
  std::map<std::string, int64_t> old_provenance;
  {
    auto select = statements_.get("SELECT field, source_id FROM field_provenance WHERE nct_id = ?");
    select->bind(1, nct_id);
    while (select->executeStep())
      old_provenance[select->getColumn(0).getString()] = select->getColumn(1).getInt64();
  }
  for (const auto& [field, id] : merged.provenance) {
    auto it = old_provenance.find(field);
    if (it != old_provenance.end() && it->second == id) continue;
    auto upsert = statements_.get(
        "INSERT INTO field_provenance (nct_id, field, source_id) VALUES (?, ?, ?) "
        "ON CONFLICT (nct_id, field) DO UPDATE SET source_id = excluded.source_id");
    upsert->bind(1, nct_id);
    upsert->bind(2, field);
    upsert->bind(3, id);
    upsert->exec();
  }
  for (const auto& [field, id] : old_provenance) {
    if (merged.provenance.count(field)) continue;
    auto erase = statements_.get("DELETE FROM field_provenance WHERE nct_id = ? AND field = ?");
    erase->bind(1, nct_id);
    erase->bind(2, field);
    erase->exec();
  }
  return old_hash != content_hash;
}

// The re-merge after a precedence change is resumable: the new order and a marker
// (meta remerge_after = the last trial merged again, '' before the first) are committed
// together, each batch moves the marker in its own transaction, the last removes it. A run
// killed half-way leaves the marker, and the next TrialStore opened on the database finishes
// the re-merge before it does anything else: no trial stays merged under the old order.
size_t TrialStore::set_precedence(const SourcePrecedence& precedence, size_t batch) {
  end_bulk_load();
  commit();
  {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    save_precedence(db_, precedence);
    db_.exec(
        "INSERT INTO meta (key, value) VALUES ('remerge_after', '') "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    transaction.commit();
  }
  precedence_ = precedence;
  return remerge(batch);
}

size_t TrialStore::remerge(size_t batch) {
  std::optional<std::string> after;
  {
    SQLite::Statement marker(db_, "SELECT value FROM meta WHERE key = 'remerge_after'");
    if (marker.executeStep()) after = marker.getColumn(0).getString();
  }
  if (!after) return 0;
  std::vector<std::string> trials;
  {
    SQLite::Statement select(db_, "SELECT nct_id FROM trials WHERE nct_id > ? ORDER BY nct_id");
    select.bind(1, *after);
    while (select.executeStep()) trials.push_back(select.getColumn(0).getString());
  }
  SQLite::Statement move(db_, "UPDATE meta SET value = ? WHERE key = 'remerge_after'");
  size_t changed = 0;
  for (size_t i = 0; i < trials.size(); ++i) {
    if (!transaction_) transaction_.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
    bool is_new = false;
    if (update_trial(trials[i], 0, is_new)) ++changed;
    if ((i + 1) % batch == 0) {
      move.reset();
      move.bind(1, trials[i]);
      move.exec();
      commit();
      remerge_kill_point(i / batch + 1);
    }
  }
  if (!transaction_) transaction_.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
  db_.exec("DELETE FROM meta WHERE key = 'remerge_after'");
  commit();
  return changed;
}

}  // namespace trialmill
