#pragma once
// One parsed record (raw strings) -> one trial record of the contract.
#include "trialmill/json.hpp"

namespace trialmill {

// Every contract field in trial_fields() order, then "source", "parse_warnings", "raw" (the raw
// value of each mapped field, keyed by path such as "arms[1].type") and "normalize_warnings"
// ([{"field","raw","message"}], one per raw value that matched no rule).
// Throws Error when the record is not an object or has no valid NCT ID.
JsonDocument normalize_record(const JsonValue& parsed);

}  // namespace trialmill
