#pragma once
// The canonical trial: merged field by field from every stored source record of one NCT ID.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

// Which source wins a field, best first (lower rank wins). The one place this order is set;
// docs/schema.md repeats it for downstream users. Within one rank the newest fetched_at wins
// (unknown fetched_at last), then the most recently stored record.
struct SourcePrecedence {
  std::string_view format;  // a source.format value, or a prefix when `prefix` is set
  bool prefix;
  int rank;
};
inline constexpr std::array kSourcePrecedence = {
    SourcePrecedence{"ctgov-v2-json", false, 0},  // the registry's own structured data
    SourcePrecedence{"ctgov-html", false, 1},     // the registry's page
    SourcePrecedence{"veeva", false, 2},          // a curated mirror
    SourcePrecedence{"aggregator-", true, 3},     // third-party aggregator sites
};
inline constexpr int kUnknownFormatRank = 4;

int source_rank(std::string_view format);

// One stored source record as the merge sees it.
struct SourceRecord {
  int64_t id = 0;  // sources.id
  std::string format;
  std::optional<std::string> fetched_at;
  const JsonValue* record = nullptr;  // the whole trial record; not owned
};

// Sorts best source first by the precedence above.
void sort_by_precedence(std::vector<SourceRecord>& sources);

struct MergedTrial {
  JsonDocument record;                        // nct_id and every contract field, contract order
  std::map<std::string, int64_t> provenance;  // field -> source id; only fields with a value
};

// For each contract field: the first non-empty value (null, "", [], {} are empty) in precedence
// order; when no source has a value, the empty value of the kind (null or []).
MergedTrial merge_sources(std::string_view nct_id, std::vector<SourceRecord> sources);

}  // namespace trialmill
