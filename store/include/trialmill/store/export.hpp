#pragma once
// Exporting canonical trials from the store: JSON Lines that trialmill-store reads back, or CSV.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

enum class ExportFormat {
  jsonl,  // the canonical record per line, plus eligibility_thresholds and a source object
  csv,    // one row per trial: the columns of the trial_summary view, with a header row
};

struct ExportOptions {
  ExportFormat format = ExportFormat::jsonl;
  std::optional<std::string> status;  // only trials with this overall_status
};

// Opens an existing store read-only (busy timeout set); throws DatabaseError when it is missing,
// not SQLite, or not at kSchemaVersion (older: trialmill-store migrates it; newer: refused).
SQLite::Database open_store_database_readonly(const std::string& path);

// Writes the trials, ordered by NCT ID, one statement step at a time inside one read
// transaction (a consistent snapshot, never every trial in memory). Returns the trial count.
size_t export_trials(SQLite::Database& db, const ExportOptions& options, std::ostream& out);

// The CSV columns, in order (those of trial_summary).
std::vector<std::string> csv_columns(SQLite::Database& db);

// One RFC 4180 field: quoted, with quotes doubled, when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);

}  // namespace trialmill
