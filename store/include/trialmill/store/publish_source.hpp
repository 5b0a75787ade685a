#pragma once
// What `trialmill publish` reads from the SQLite database: one read snapshot, the tables and
// their columns as they are (so that columns added by later schema versions travel without a
// change here), the trials changed since a watermark, and the rows of a set of trials or runs.
// All of publish's SQLite SQL lives here (store/ owns the SQL).
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trialmill {

struct SourceColumn {
  std::string name;
  std::string declared_type;  // as declared in SQLite: INTEGER, REAL, TEXT
};

struct SourceTable {
  std::string name;
  std::vector<SourceColumn> columns;
  bool keyed_by_trial = false;  // has an nct_id column: its rows travel with their trial
};

// One value as text (what COPY's text format wants), nullopt for NULL. REAL values are written
// with the shortest text that reads back to the same double.
using SourceRow = std::vector<std::optional<std::string>>;
using RowSink = std::function<void(const SourceRow& row)>;

class PublishSource {
 public:
  // Opens `path` read-only and starts the read transaction every later call reads from.
  explicit PublishSource(const std::string& path);
  ~PublishSource();
  PublishSource(const PublishSource&) = delete;
  PublishSource& operator=(const PublishSource&) = delete;

  int schema_version();
  // The tables publish copies: the trials and their child tables, sources, provenance, history,
  // thresholds (keyed by nct_id), then runs and run_sources. `trials` has one extra column,
  // `search_lists` (its conditions and interventions as the full-text index sees them).
  const std::vector<SourceTable>& tables() const { return tables_; }

  // The watermark the next publish starts from: the start of the oldest run still writing, or
  // now (UTC), whichever is older — a run that commits after this snapshot stamped its rows no
  // earlier than its own start.
  std::string next_watermark();
  // The id of the oldest run not finished in this snapshot, else max(id) + 1.
  int64_t first_open_run_id();

  // NCT IDs whose trial, child rows, sources, withdrawal marks or history changed at or after
  // `since` (ISO UTC text); every NCT ID when `since` is empty.
  std::vector<std::string> changed_trials(const std::string& since);

  // The rows of a trial-keyed table for these NCT IDs (columns as in tables()).
  void trial_rows(const SourceTable& table, const std::vector<std::string>& nct_ids,
                  const RowSink& sink);
  // The rows of runs / run_sources with run id >= `from_run_id`.
  void run_rows(const SourceTable& table, int64_t from_run_id, const RowSink& sink);
  // Every row of a table (benchmarks and tests).
  void all_rows(const SourceTable& table, const RowSink& sink);

 private:
  std::string now_;  // taken before the snapshot starts
  SQLite::Database db_;
  std::vector<SourceTable> tables_;
};

}  // namespace trialmill
