#pragma once
// TrialStore: idempotent upserts of trial records into the SQLite store, one transaction per batch.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/precedence.hpp"
#include "trialmill/store/statement_cache.hpp"
#include "trialmill/store/trial_text.hpp"

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
  TrialText text;                     // trial_text(merged.record): what trials_fts indexes
};

// Thread-safe: touches nothing but `record`.
PreparedRecord prepare_record(JsonDocument&& record, std::string input);

class TrialStore {
 public:
  // Opens or creates the database; throws DatabaseError (see schema.hpp) when it cannot be used.
  // `adopt_empty`: see open_store_database.
  explicit TrialStore(const std::string& path, bool adopt_empty = false);
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

  // Bulk loading, for a database that holds no trial yet (a rebuild from scratch):
  // begin_bulk_load commits, drops the indexes a bulk load builds at its end (schema.hpp) and
  // turns foreign keys off for this connection; it returns false and changes nothing when the
  // database already holds trials. Trials not stored before are then written without index
  // upkeep, their rows appended. The first record of a trial already stored (the same trial
  // twice in the input) ends the bulk load before it is stored: the rest is stored as usual.
  // end_bulk_load commits, builds the indexes from the stored rows and turns foreign keys back
  // on. A bulk load that never ends (the process killed) leaves indexes missing, which the next
  // opening of the database builds.
  bool begin_bulk_load();
  void end_bulk_load();
  bool bulk_loading() const { return bulk_loading_; }

  // Makes `precedence` the database's own (meta source_precedence) and merges every trial again
  // under it, `batch` trials per transaction, each change recorded in trial_changes (with no
  // source: the order changed, not a record). Returns how many canonical trials changed.
  // A run killed during the re-merge leaves it resumable: the next TrialStore finishes it.
  size_t set_precedence(const SourcePrecedence& precedence, size_t batch = kDefaultBatchSize);
  const SourcePrecedence& precedence() const { return precedence_; }
  // add() for each record, then commit(); returns the outcome counts of this batch.
  StoreStats store_batch(const std::vector<LabelledRecord>& records);

  // Counts since the store was opened.
  const StoreStats& stats() const { return stats_; }
  // Records added since the last commit().
  size_t pending() const { return pending_; }
  SQLite::Database& database() { return db_; }

 private:
  // Whether the database holds a source record or a row of the trial.
  bool is_known(const std::string& nct_id);
  // `prepared` passed validation.
  StoreOutcome add_checked(const PreparedRecord& prepared);
  // `known`: is_known(nct_id).
  StoreOutcome write_record(const PreparedRecord& prepared, bool known);
  // A trial with no stored source and no row yet, from its one prepared record.
  StoreOutcome write_new_trial(const PreparedRecord& prepared);
  // Merges the trial's sources again and writes what changed; `source_id` (0: none) is the
  // source whose record caused it. Returns whether the canonical trial changed.
  bool update_trial(const std::string& nct_id, int64_t source_id, bool& trial_is_new);
  // Merges again the trials after meta remerge_after (absent: nothing to do); see set_precedence.
  size_t remerge(size_t batch);

  SQLite::Database db_;  // first member: destroyed last, after the statements using it
  StatementCache statements_;
  std::optional<SQLite::Transaction> transaction_;
  SourcePrecedence precedence_;  // the database's (meta), as every merge uses it
  StoreStats stats_;
  size_t pending_ = 0;
  bool bulk_loading_ = false;
};

}  // namespace trialmill
