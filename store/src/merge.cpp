#include "trialmill/store/merge.hpp"

#include <algorithm>
#include <tuple>

#include "trialmill/record_model.hpp"

namespace trialmill {

int source_rank(std::string_view format) { return SourcePrecedence::standard().rank(format); }

void sort_by_precedence(std::vector<SourceRecord>& sources, const SourcePrecedence& precedence) {
  std::stable_sort(sources.begin(), sources.end(), [&](const SourceRecord& a, const SourceRecord& b) {
    int ra = precedence.rank(a.format), rb = precedence.rank(b.format);
    if (ra != rb) return ra < rb;
    // ISO 8601 UTC timestamps order as strings; a known time beats an unknown one.
    if (a.fetched_at != b.fetched_at) {
      if (!a.fetched_at) return false;
      if (!b.fetched_at) return true;
      return *a.fetched_at > *b.fetched_at;
    }
    return a.id > b.id;
  });
}

MergedTrial merge_sources(std::string_view nct_id, std::vector<SourceRecord> sources,
                          const SourcePrecedence& precedence) {
  sort_by_precedence(sources, precedence);
  MergedTrial merged;
  JsonDocument& out = merged.record;
  out.SetObject();
  auto& alloc = out.GetAllocator();
  set_string(out, "nct_id", nct_id, alloc);
  for (const FieldSpec& spec : trial_fields()) {
    if (spec.name == "nct_id") continue;
    JsonValue chosen(is_list_kind(spec.kind) ? rapidjson::kArrayType : rapidjson::kNullType);
    for (const SourceRecord& source : sources) {
      const JsonValue* value = source.record ? find_member(*source.record, spec.name) : nullptr;
      if (!value || is_empty_value(*value)) continue;
      chosen.CopyFrom(*value, alloc);
      merged.provenance[std::string(spec.name)] = source.id;
      break;
    }
    set_member(out, spec.name, std::move(chosen), alloc);
  }
  return merged;
}

}  // namespace trialmill
