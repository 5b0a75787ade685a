#pragma once
// Writing one canonical trial as rows: the `trials` row and its child tables.
#include <string>
#include <string_view>

#include "trialmill/json.hpp"
#include "trialmill/store/statement_cache.hpp"

namespace trialmill {

struct TrialRowTimes {
  std::string first_seen_at;  // kept by an update; used when the row is new
  std::string updated_at;
};

// Inserts or replaces the `trials` row of `canonical` (a merged record, see merge.hpp).
void upsert_trial_row(StatementCache& statements, const JsonValue& canonical,
                      std::string_view content_hash, const TrialRowTimes& times);

// Deletes every child row of the trial (phases, conditions, …, related).
void delete_child_rows(StatementCache& statements, std::string_view nct_id);

// Inserts the child rows of `canonical`; the trial has none yet.
void insert_child_rows(StatementCache& statements, const JsonValue& canonical);

}  // namespace trialmill
