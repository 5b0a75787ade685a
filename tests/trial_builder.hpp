#pragma once
// Building trial records in tests: a valid minimal record, then fields set from JSON text.
#include <string>
#include <string_view>

#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"

namespace trialmill::test {

// Every contract field absent, then the source, `raw` and the warning lists: valid as it is.
inline JsonDocument make_record(const std::string& nct_id, const std::string& format = "ctgov-v2-json",
                                const std::string& url = "https://clinicaltrials.gov/api/v2/studies/",
                                const std::string& fetched_at = "2026-01-01T00:00:00Z") {
  JsonDocument doc = empty_trial_record();
  auto& alloc = doc.GetAllocator();
  set_string(doc, "nct_id", nct_id, alloc);
  JsonValue source(rapidjson::kObjectType);
  set_string(source, "format", format, alloc);
  set_string(source, "url", url + nct_id, alloc);
  set_string(source, "fetched_at", fetched_at, alloc);
  set_string(source, "sha256", "0123abcd", alloc);
  set_member(doc, "source", std::move(source), alloc);
  set_member(doc, "raw", JsonValue(rapidjson::kObjectType), alloc);
  set_member(doc, "normalize_warnings", JsonValue(rapidjson::kArrayType), alloc);
  set_member(doc, "parse_warnings", JsonValue(rapidjson::kArrayType), alloc);
  return doc;
}

// Sets a field from JSON text: set(doc, "phases", R"(["PHASE2"])").
inline void set(JsonDocument& doc, std::string_view field, std::string_view json) {
  JsonDocument value = parse_json(json, "test value");
  set_member(doc, field, JsonValue(value, doc.GetAllocator()), doc.GetAllocator());
}

inline void set_source(JsonDocument& doc, std::string_view key, std::string_view json) {
  JsonDocument value = parse_json(json, "test value");
  set_member(doc["source"], key, JsonValue(value, doc.GetAllocator()), doc.GetAllocator());
}

}  // namespace trialmill::test
