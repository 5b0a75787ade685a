#pragma once
// The full-text index (trials_fts) kept in step with the trials: each trial's text is computed
// from its canonical record, staged while the batch is written, and indexed at commit in one
// statement, so that FTS5 writes one segment per batch instead of one (plus merges) per trial.
#include <SQLiteCpp/Database.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trialmill/json.hpp"
#include "trialmill/store/statement_cache.hpp"

namespace trialmill {

// What trials_fts indexes for one trial, equal to what its content view (trials_fts_content)
// gives for the trial's rows. `from_view` when the record holds a value whose SQL text the view
// could give differently (a non-string, an empty intervention entry): that trial is indexed by
// reading the view instead.
struct TrialText {
  static constexpr size_t kColumns = 9;  // nct_id … eligibility_criteria, as in trials_fts
  int64_t key = 0;                       // the trials_fts rowid: the number of the NCT ID
  std::array<std::optional<std::string>, kColumns> columns;
  bool from_view = false;
};
TrialText trial_text(const JsonValue& canonical);

// The trials_fts rowid of an NCT ID (CAST(substr(nct_id, 4) AS INTEGER) in SQL).
int64_t trial_text_key(std::string_view nct_id);

// The staging table, temp.trial_text_staged, on the writer's connection.
void create_text_staging(SQLite::Database& db);
// Stages a trial's text; a later stage of the same trial in the batch replaces it. Staged rows
// take part in savepoints: a record rolled back takes its staged text with it.
void stage_trial_text(StatementCache& statements, const TrialText& text);
// Whether the trial's text was staged in this batch: its indexed text already left trials_fts.
bool is_text_staged(StatementCache& statements, int64_t key);
// Moves every staged text into trials_fts and empties the staging table.
void index_staged_text(StatementCache& statements);

// Takes a trial's indexed text out of trials_fts, read through the content view: call it while
// the trial's rows are still those that were indexed (before delete_child_rows).
void remove_trial_text(StatementCache& statements, std::string_view nct_id);

}  // namespace trialmill
