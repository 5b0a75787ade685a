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
  // Commits the current transaction, if any.
  void commit();
  // add() for each record, then commit(); returns the outcome counts of this batch.
  StoreStats store_batch(const std::vector<LabelledRecord>& records);

  // Counts since the store was opened.
  const StoreStats& stats() const { return stats_; }
  // Records added since the last commit().
  size_t pending() const { return pending_; }
  SQLite::Database& database() { return db_; }

 private:
  StoreOutcome write_record(const JsonValue& record, const std::string& nct_id,
                            std::string_view input);
  void update_trial(const std::string& nct_id, int64_t source_id, bool& trial_is_new);

  SQLite::Database db_;  // first member: destroyed last, after the statements using it
  StatementCache statements_;
  std::optional<SQLite::Transaction> transaction_;
  StoreStats stats_;
  size_t pending_ = 0;
};

}  // namespace trialmill
