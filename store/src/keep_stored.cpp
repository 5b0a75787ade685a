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

namespace {

std::string_view text_of(const JsonValue& v) {
  return {v.GetString(), v.GetStringLength()};
}

// Whether `incoming` looks like `stored` cut off: empty where stored has a value, a strict
// prefix of the stored text or number, a list with fewer items, or the same list with its last
// item (or an object with a member) cut. A different value of its own is not a cut: it is what
// the page shows, and a truncated page still shows it.
bool shortens(const JsonValue& incoming, const JsonValue& stored) {
  if (is_empty_value(stored)) return false;
  if (is_empty_value(incoming)) return true;
  if (incoming.IsString() && stored.IsString()) {
    std::string_view a = text_of(incoming), b = text_of(stored);
    return a.size() < b.size() && b.substr(0, a.size()) == a;
  }
  if (incoming.IsNumber() && stored.IsNumber()) {
    std::string a = canonical_json(incoming), b = canonical_json(stored);
    return a.size() < b.size() && b.compare(0, a.size(), a) == 0;
  }
  if (incoming.IsArray() && stored.IsArray()) {
    if (incoming.Size() != stored.Size()) return incoming.Size() < stored.Size();
    return shortens(incoming[incoming.Size() - 1], stored[stored.Size() - 1]);
  }
  if (incoming.IsObject() && stored.IsObject()) {
    for (const auto& member : stored.GetObject()) {
      const JsonValue* mine = find_member(incoming, text_of(member.name));
      if (mine ? shortens(*mine, member.value) : !is_empty_value(member.value)) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> keep_stored_values(JsonValue& incoming, const JsonValue& stored,
                                            bool incoming_truncated, JsonAllocator& alloc) {
  std::vector<std::string> kept;
  for (const FieldSpec& spec : trial_fields()) {
    if (spec.name == "nct_id") continue;
    const JsonValue* old_value = find_member(stored, spec.name);
    if (!old_value || is_empty_value(*old_value)) continue;
    const JsonValue* new_value = find_member(incoming, spec.name);
    if (new_value && !is_empty_value(*new_value)) {
      // A truncated page may have cut this value mid-way; a value it shows whole is real.
      if (!incoming_truncated || !shortens(*new_value, *old_value)) continue;
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
