#pragma once
// Stable serialization and hashes: equal records give equal text whatever their key order.
#include <string>
#include <string_view>

#include "trialmill/json.hpp"

namespace trialmill {

// Compact JSON with object keys sorted (recursively), so that the text only depends on content.
std::string canonical_json(const JsonValue& value);

// SHA-256 of a source record without source.fetched_at: re-fetching an unchanged page gives the
// same hash, so storing it again writes nothing.
std::string source_record_hash(const JsonValue& record);

// What storing a record as its trial's only source needs, from one serialization of each of its
// members: byte for byte what the definitions in the comments give, at about half the cost.
struct FirstSourceTexts {
  std::string json;          // to_json(record)
  std::string hash;          // source_record_hash(record)
  std::string merged_json;   // to_json(merged), merged = merge_sources(nct_id, {record}).record
  std::string content_hash;  // sha256_hex(canonical_json(merged))
};
FirstSourceTexts first_source_texts(const JsonValue& record, std::string_view nct_id);

}  // namespace trialmill
