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

// A recruiting trial with text in every indexed column.
inline JsonDocument atra_record(const std::string& nct_id) {
  JsonDocument r = make_record(nct_id);
  set(r, "brief_title", R"("All-trans Retinoic Acid in Recurrent Cancer")");
  set(r, "official_title", R"("A Phase 2 Study of ATRA, \"Tretinoin\"")");
  set(r, "overall_status", R"("RECRUITING")");
  set(r, "phases", R"(["PHASE2"])");
  set(r, "study_type", R"("INTERVENTIONAL")");
  set(r, "brief_summary", R"("Differentiation therapy.")");
  set(r, "conditions", R"(["Nasopharyngeal Carcinoma", "Head and Neck Cancer"])");
  set(r, "interventions", R"([{"type": "DRUG", "name": "Tretinoin", "description": null,
                               "other_names": ["Vesanoid"]}])");
  set(r, "enrollment", R"({"count": 30, "type": "ESTIMATED"})");
  set(r, "eligibility_criteria", R"("Inclusion: hemoglobin at least 90 g/L")");
  set(r, "inclusion_criteria", R"(["Hemoglobin >= 90 g/L", "ECOG 0-1"])");
  set(r, "exclusion_criteria", R"(["QTc > 450 ms"])");
  set(r, "lead_sponsor", R"({"name": "Sun Yat-sen University", "class": "OTHER"})");
  set(r, "start_date", R"({"date": "2020-06", "type": "ACTUAL"})");
  set(r, "completion_date", R"({"date": "2024", "type": "ESTIMATED"})");
  set(r, "last_update_posted", R"("2025-01-02")");
  set(r, "locations", R"([{"facility": "A", "city": "Guangzhou", "state": null, "zip": null,
                           "country": "China", "status": "RECRUITING", "contacts": []},
                          {"facility": "B", "city": "Shenzhen", "state": null, "zip": null,
                           "country": "China", "status": null, "contacts": []},
                          {"facility": "C", "city": "Boston", "state": "MA", "zip": null,
                           "country": "United States", "status": null, "contacts": []}])");
  return r;
}

}  // namespace trialmill::test
