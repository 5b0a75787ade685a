#include "trialmill/store/keep_stored.hpp"

#include <optional>

#include "trialmill/record_model.hpp"
#include "trialmill/store/record_hash.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

bool is_truncated_record(const JsonValue& record) {
  const JsonValue* warnings = find_member(record, "parse_warnings");
  if (!warnings || !warnings->IsArray()) return false;
  for (const auto& warning : warnings->GetArray()) {
    std::optional<std::string> message;
    if (warning.IsString()) message = std::string(warning.GetString(), warning.GetStringLength());
    else message = get_string(warning, "message");
    if (message && message->rfind(kTruncatedWarningPrefix, 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> keep_stored_values(JsonValue& incoming, const JsonValue& stored,
                                            bool incoming_truncated, JsonAllocator& alloc) {
  std::vector<std::string> kept;
  for (const FieldSpec& spec : trial_fields()) {
    if (spec.name == "nct_id") continue;
    const JsonValue* old_value = find_member(stored, spec.name);
    if (!old_value || is_empty_value(*old_value)) continue;
    const JsonValue* new_value = find_member(incoming, spec.name);
    if (new_value && !is_empty_value(*new_value)) {
      if (!incoming_truncated || canonical_json(*new_value) == canonical_json(*old_value)) continue;
    }
    JsonValue copy(*old_value, alloc);
    set_member(incoming, spec.name, std::move(copy), alloc);
    kept.emplace_back(spec.name);

    // Keep the raw string that went with the stored value, unless the new record has its own.
    const JsonValue* old_raw = find_member(stored, "raw");
    const JsonValue* old_raw_value = old_raw ? find_member(*old_raw, spec.name) : nullptr;
    if (!old_raw_value) continue;
    if (!find_member(incoming, "raw") || !find_member(incoming, "raw")->IsObject())
      set_member(incoming, "raw", JsonValue(rapidjson::kObjectType), alloc);
    JsonValue& raw = incoming["raw"];
    set_member(raw, spec.name, JsonValue(*old_raw_value, alloc), alloc);
  }
  return kept;
}

}  // namespace trialmill
