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
// and is empty in `incoming` (null, "", [], {}) — or, when `incoming_truncated`, is shortened
// in `incoming` as a cut would shorten it (a strict prefix of the text, fewer list items, the
// last item cut) — copies the stored value (and its raw string) into `incoming`. A truncated
// page's value that is not such a cut (a status changed from "UNKNOWN" to "COMPLETED") is what
// the page shows before its cut, and updates the record.
// Returns the names of the fields whose value was kept and differs from `incoming`'s, in
// contract order.
std::vector<std::string> keep_stored_values(JsonValue& incoming, const JsonValue& stored,
                                            bool incoming_truncated, JsonAllocator& alloc);

}  // namespace trialmill
