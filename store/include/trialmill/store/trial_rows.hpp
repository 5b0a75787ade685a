#pragma once
// Writing one canonical trial as rows: the `trials` row and its child tables.
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/store/statement_cache.hpp"

namespace trialmill {

struct TrialRowTimes {
  std::string first_seen_at;  // kept by an update; used when the row is new
  std::string updated_at;
};

// Inserts or replaces the `trials` row of `canonical` (a merged record, see merge.hpp).
// `record_json`: to_json(canonical) when already made (off the writer), else null.
void upsert_trial_row(StatementCache& statements, const JsonValue& canonical,
                      std::string_view content_hash, const TrialRowTimes& times,
                      const std::string* record_json = nullptr);

// Deletes every child row of the trial (phases, conditions, …, related).
void delete_child_rows(StatementCache& statements, std::string_view nct_id);

// Inserts the child rows of `canonical`; the trial has none yet.
void insert_child_rows(StatementCache& statements, const JsonValue& canonical);

// The names of the scalar `trials` columns (nct_id first) and their values read from a
// canonical record, in that order: what upsert_trial_row binds before the derived columns.
std::vector<std::string_view> trial_scalar_columns();
std::vector<SqlValue> trial_scalar_values(const JsonValue& canonical);

// Replaces the eligibility_thresholds rows of a trial with the record's optional
// `eligibility_thresholds` entries: the inclusion ones from `inclusion_source` and the exclusion
// ones from `exclusion_source` (the source records whose criteria lists won the merge, since a
// threshold points into its criteria list), either may be null. Entries without a valid kind or
// criterion are skipped; unknown keys are ignored. Writes only when the rows differ; returns
// whether it wrote.
bool replace_eligibility_thresholds(StatementCache& statements, std::string_view nct_id,
                                    const JsonValue* inclusion_source,
                                    const JsonValue* exclusion_source);
// The same for a trial known to have no eligibility_thresholds rows (new): inserts only.
void insert_eligibility_thresholds(StatementCache& statements, std::string_view nct_id,
                                   const JsonValue* inclusion_source,
                                   const JsonValue* exclusion_source);

}  // namespace trialmill
