#pragma once
// The never-blank rule: a newer record of the same source must not erase what was stored.
#include <string>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

// True when parse flagged the page as cut off (a parse_warnings entry with kTruncatedWarningPrefix):
// its values may be partial (a list cut mid-way), not just missing.
bool is_truncated_record(const JsonValue& record);

// For every contract field that has a value in `stored` (an earlier record of the same source)
// and is empty in `incoming` (null, "", [], {}) — or, when `incoming_truncated`, whatever
// `incoming` holds — copies the stored value (and its raw string) into `incoming`.
// Returns the names of the fields whose value was kept and differs from `incoming`'s, in
// contract order.
std::vector<std::string> keep_stored_values(JsonValue& incoming, const JsonValue& stored,
                                            bool incoming_truncated, JsonAllocator& alloc);

}  // namespace trialmill
