#pragma once
// The one place a normalized record's warnings reach stderr: trialmill-normalize and the
// in-process pipeline (driver/record_pipeline) log them through it, alike.
#include <string_view>

#include "trialmill/json.hpp"

namespace trialmill {

// Logs each entry of record["normalize_warnings"] as "FIELD: MESSAGE: \"RAW\"" naming `where`;
// a raw value is clipped to a few hundred bytes (a hostile one can be megabytes).
void log_normalize_warnings(std::string_view where, const JsonValue& record);

}  // namespace trialmill
