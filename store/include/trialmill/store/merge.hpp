#pragma once
// The canonical trial: merged field by field from every stored source record of one NCT ID.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/store/precedence.hpp"

namespace trialmill {

// Which source wins a field: a SourcePrecedence (precedence.hpp; the database's own, or the
// standard order). Within one rank the newest fetched_at wins (unknown fetched_at last), then the
// most recently stored record.

// The standard order's rank of a format.
int source_rank(std::string_view format);

// One stored source record as the merge sees it.
struct SourceRecord {
  int64_t id = 0;  // sources.id
  std::string format;
  std::optional<std::string> fetched_at;
  const JsonValue* record = nullptr;  // the whole trial record; not owned
};

// Sorts best source first.
void sort_by_precedence(std::vector<SourceRecord>& sources,
                        const SourcePrecedence& precedence = SourcePrecedence::standard());

struct MergedTrial {
  JsonDocument record;                        // nct_id and every contract field, contract order
  std::map<std::string, int64_t> provenance;  // field -> source id; only fields with a value
};

// For each contract field: the first non-empty value (null, "", [], {} are empty) in precedence
// order; when no source has a value, the empty value of the kind (null or []).
MergedTrial merge_sources(std::string_view nct_id, std::vector<SourceRecord> sources,
                          const SourcePrecedence& precedence = SourcePrecedence::standard());

}  // namespace trialmill
