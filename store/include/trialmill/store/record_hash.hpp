#pragma once
// Stable serialization and hashes: equal records give equal text whatever their key order.
#include <string>

#include "trialmill/json.hpp"

namespace trialmill {

// Compact JSON with object keys sorted (recursively), so that the text only depends on content.
std::string canonical_json(const JsonValue& value);

// SHA-256 of a source record without source.fetched_at: re-fetching an unchanged page gives the
// same hash, so storing it again writes nothing.
std::string source_record_hash(const JsonValue& record);

}  // namespace trialmill
