#pragma once
// A trial's past: dated versions of its record (ClinicalTrials.gov Archive pages, older
// exports) kept in trial_versions, and the changes between consecutive versions written to
// trial_changes dated by the later version (version_date), not by the import.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/store/store.hpp"

namespace trialmill {

struct TrialVersion {
  std::string version_date;  // ISO 8601 date of the version
  std::string input;         // where it came from, for messages
  JsonDocument record;       // the normalized trial record as of that date
};

struct HistoryImportResult {
  size_t versions = 0;           // versions given
  size_t new_versions = 0;       // not stored before (or stored with other content)
  size_t changes = 0;            // history rows of the study after the import
  bool current_changed = false;  // the newest version became (part of) the current record
};

// Stores the versions of one study (any order; one per date: a second of the same date
// replaces the first) and rewrites the study's history rows from all its stored versions, so
// that imports in any order and repeated imports give the same rows. The current record is
// changed only when the study is not stored yet or the newest version is newer than what is
// stored (its last_update_posted, else the newest version imported before): then the newest
// version is added through `store` as an ordinary ctgov-archive source. Commits.
HistoryImportResult import_trial_versions(TrialStore& store, const std::string& nct_id,
                                          std::vector<TrialVersion>& versions);

struct TrialChangeRow {
  int64_t id = 0;
  std::string nct_id;
  std::string field;
  std::optional<std::string> old_value;  // canonical JSON of the value
  std::optional<std::string> new_value;
  std::string changed_at;
  std::optional<std::string> version_date;   // set on history rows
  std::optional<std::string> source_format;  // the source record that caused it, if any
};

// The study's trial_changes rows, oldest first (by version date or change time, then id).
std::vector<TrialChangeRow> trial_change_rows(SQLite::Database& db, const std::string& nct_id);

}  // namespace trialmill
