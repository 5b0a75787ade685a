#pragma once
// TrialStore: idempotent upserts of trial records into the SQLite store, one transaction per batch.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/statement_cache.hpp"

namespace trialmill {

inline constexpr size_t kDefaultBatchSize = 500;

// What happened to one record.
enum class StoreOutcome {
  inserted,   // first record of a trial not stored before
  updated,    // a new or changed source record of a known trial (the canonical trial may or may not change)
  unchanged,  // the identical record (fetched_at aside) was already stored: nothing written
  failed,     // rejected (contract violation) or a database error; nothing written for it
};

struct StoreStats {
  size_t inserted = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  size_t failed = 0;

  size_t stored() const { return inserted + updated + unchanged; }
  void count(StoreOutcome outcome);
  StoreStats& operator+=(const StoreStats& other);
};

// A record with the name of where it came from ("stdin:3", "trials.jsonl:12") for messages.
struct LabelledRecord {
  std::string input;
  const JsonValue* record = nullptr;
};

// A record made ready for storing off the writer's thread (prepare_record): validated, hashed,
// serialized, and merged as if it were its trial's only source, which is what a trial not
// stored before needs. The writer only checks that assumption and writes; otherwise it falls
// back to the general path (merge with the stored sources), which uses `record` and `hash`.
struct PreparedRecord {
  JsonDocument record;
  std::string input;
  std::string nct_id;                 // empty when invalid
  std::vector<std::string> problems;  // validate_trial_record; non-empty: rejected
  std::string hash;                   // source_record_hash(record)
  std::string json;                   // to_json(record): sources.record_json of a new source
  MergedTrial merged;                 // provenance ids are 0: the source id is not known yet
  std::string merged_json;            // to_json(merged.record): trials.record_json
  std::string content_hash;           // sha256 of canonical_json(merged.record)
};

// Thread-safe: touches nothing but `record`.
PreparedRecord prepare_record(JsonDocument&& record, std::string input);

class TrialStore {
 public:
  // Opens or creates the database; throws DatabaseError (see schema.hpp) when it cannot be used.
  explicit TrialStore(const std::string& path);
  // Rolls back what was added since the last commit().
  ~TrialStore() = default;
  TrialStore(const TrialStore&) = delete;
  TrialStore& operator=(const TrialStore&) = delete;

  // Validates and stores one record inside the current transaction (begun when needed). A
  // rejected record is reported on stderr naming `input` and its NCT ID; the batch goes on.
  StoreOutcome add(const JsonValue& record, std::string_view input);
  // The same for a record prepared by prepare_record (on any thread); `prepared` is left as is.
  StoreOutcome add(const PreparedRecord& prepared);
  // Indexes the text of the trials written since the last commit() (trials_fts), then commits
  // the current transaction, if any. Until then those trials' trials_fts rows lag behind
  // their rows on this connection only: other connections see both at once, at commit.
  void commit();
  // add() for each record, then commit(); returns the outcome counts of this batch.
  StoreStats store_batch(const std::vector<LabelledRecord>& records);

  // Counts since the store was opened.
  const StoreStats& stats() const { return stats_; }
  // Records added since the last commit().
  size_t pending() const { return pending_; }
  SQLite::Database& database() { return db_; }

 private:
  StoreOutcome add_checked(const std::string& nct_id, std::string_view input,
                           const JsonValue& record, const PreparedRecord* prepared);
  StoreOutcome write_record(const JsonValue& record, const std::string& nct_id,
                            std::string_view input, const PreparedRecord* prepared);
  // A trial with no stored source and no row yet, from its one prepared record.
  StoreOutcome write_new_trial(const PreparedRecord& prepared);
  void update_trial(const std::string& nct_id, int64_t source_id, bool& trial_is_new);
  // Before a trial's rows change: its indexed text leaves trials_fts (unless it is already
  // waiting to be indexed again) and it waits for commit() to be indexed again.
  void text_will_change(const std::string& nct_id, bool was_indexed);
  void index_pending_text();

  SQLite::Database db_;  // first member: destroyed last, after the statements using it
  StatementCache statements_;
  std::optional<SQLite::Transaction> transaction_;
  StoreStats stats_;
  size_t pending_ = 0;
  std::set<std::string> text_pending_;         // trials to index at commit()
  std::vector<std::string> text_pending_added_;  // by the record being written (undone if it fails)
};

}  // namespace trialmill
