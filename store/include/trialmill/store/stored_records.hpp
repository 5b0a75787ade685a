#pragma once
// What the driver asks the store about what it already holds: a page's stored source record
// (for the publish gate), the pages behind a trial (for reingest), the archived pages behind the
// stored records (for reparse), a trial's canonical record and its changes (for reports), and
// the trial figures of a run. The store owns these queries so that no SQL lives in the driver.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

// The stored source record of one page identity (NCT ID, format, URL), looked up once per
// record of a run: the statement is prepared once and kept.
class StoredSourceLookup {
 public:
  explicit StoredSourceLookup(SQLite::Database& db);
  ~StoredSourceLookup();
  StoredSourceLookup(const StoredSourceLookup&) = delete;
  StoredSourceLookup& operator=(const StoredSourceLookup&) = delete;

  // `url` empty: a record with no URL.
  std::optional<JsonDocument> find(const std::string& nct_id, const std::string& format,
                                   const std::string& url);

 private:
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> select_;  // prepared on first use
};

// A page a stored source record came from.
struct StoredPage {
  std::string format;
  std::string url;
  std::string nct_id;
};

// The pages (with a URL) of the stored source records of `nct_ids`, oldest record first.
std::vector<StoredPage> stored_pages_of(SQLite::Database& db,
                                        const std::vector<std::string>& nct_ids);

// An archived page behind stored source records: the raw copy to parse again.
struct ArchivedPage {
  std::string url;
  std::string format;
  std::string sha256;
  std::optional<std::string> fetched_at;  // the latest fetch of that copy
};

// One row per archived copy behind the stored source records of `formats` and `nct_ids` (empty:
// any), oldest record first.
std::vector<ArchivedPage> archived_pages(SQLite::Database& db,
                                         const std::vector<std::string>& formats,
                                         const std::vector<std::string>& nct_ids);

// The canonical record of a trial (trials.record_json), if stored.
std::optional<JsonDocument> stored_trial_record(SQLite::Database& db, const std::string& nct_id);

// The id of the latest trial_changes row (0: none): changes after it are a run's own.
int64_t last_change_id(SQLite::Database& db);

// One row of trial_changes, its values as JSON (null when absent).
struct TrialChange {
  std::string field;
  std::optional<JsonDocument> old_value;
  std::optional<JsonDocument> new_value;
  std::optional<std::string> source_format;  // none: no source caused it (precedence, sweep)
  std::string changed_at;
};

// The changes of a trial recorded after change `after_id`, in order.
std::vector<TrialChange> trial_changes_since(SQLite::Database& db, const std::string& nct_id,
                                             int64_t after_id);

// Where the trials stood before a run stored anything: what its figures are counted against.
struct TrialsMark {
  int64_t trials = 0;
  int64_t last_trial_rowid = 0;  // rowids only grow: trials above it are the run's new ones
  int64_t last_change_id = 0;
};
TrialsMark mark_trials(SQLite::Database& db);

struct TrialsSinceMark {
  size_t added = 0;    // trials that did not exist at the mark
  size_t changed = 0;  // trials that existed at the mark with a change since
};
TrialsSinceMark trials_since(SQLite::Database& db, const TrialsMark& mark);

}  // namespace trialmill
