#include "trialmill/parse/parsed_record.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// Fields that are lists in the trial record but raw strings in the parsed record.
bool raw_scalar_in_parsed(std::string_view name) {
  return name == "phases" || name == "inclusion_criteria" || name == "exclusion_criteria";
}

// Where the constructor puts each member: every record has them in the same order, so a field is
// found by its position rather than by comparing names with up to fifty members before it.
const std::unordered_map<std::string_view, size_t>& member_positions() {
  static const auto positions = [] {
    std::unordered_map<std::string_view, size_t> out;
    size_t i = 0;
    for (const auto& spec : trial_fields()) {
      if (spec.name == "min_age_years" || spec.name == "max_age_years") continue;  // as below
      out.emplace(spec.name, i++);
    }
    out.emplace("source", i++);
    out.emplace("parse_warnings", i++);
    return out;
  }();
  return positions;
}

}  // namespace

JsonValue* ParsedRecord::slot(std::string_view field) {
  const auto& positions = member_positions();
  if (auto it = positions.find(field); it != positions.end() && it->second < doc_.MemberCount()) {
    auto& m = doc_.MemberBegin()[static_cast<rapidjson::SizeType>(it->second)];
    if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == field) return &m.value;
  }
  return const_cast<JsonValue*>(find_member(doc_, field));  // the names are distinct: the first
}

const JsonValue* ParsedRecord::slot(std::string_view field) const {
  return const_cast<ParsedRecord*>(this)->slot(field);
}

// set_member, through slot().
void ParsedRecord::put(std::string_view field, JsonValue value) {
  list_index_.erase(std::string(field));  // the list it indexed is replaced
  if (JsonValue* v = slot(field)) *v = std::move(value);
  else set_member(doc_, field, std::move(value), doc_.GetAllocator());
}

ParsedRecord::ParsedRecord() {
  doc_.SetObject();
  auto& a = doc_.GetAllocator();
  for (const auto& spec : trial_fields()) {
    if (spec.name == "min_age_years" || spec.name == "max_age_years") continue;  // derived
    bool list = is_list_kind(spec.kind);
    JsonValue value = list && !raw_scalar_in_parsed(spec.name) ? JsonValue(rapidjson::kArrayType)
                                                              : JsonValue(rapidjson::kNullType);
    doc_.AddMember(make_string(spec.name, a), value, a);
  }
  JsonValue source(rapidjson::kObjectType);
  for (const char* key : {"format", "url", "fetched_at", "sha256"})
    source.AddMember(JsonValue(rapidjson::StringRef(key)), JsonValue(rapidjson::kNullType), a);
  doc_.AddMember("source", source, a);
  doc_.AddMember("parse_warnings", JsonValue(rapidjson::kArrayType), a);
}

void ParsedRecord::set(std::string_view field, const std::optional<std::string>& value) {
  // Blocks keep their first line's indentation; only an all-blank value counts as absent.
  if (!value || trim(*value).empty()) return;
  put(field, make_string(*value, doc_.GetAllocator()));
}

bool ParsedRecord::has(std::string_view field) const {
  const JsonValue* v = slot(field);
  return v && !is_empty_value(*v);
}

std::optional<std::string> ParsedRecord::get(std::string_view field) const {
  const JsonValue* v = slot(field);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

JsonValue& ParsedRecord::list(std::string_view field) {
  JsonValue* v = slot(field);
  if (!v || !v->IsArray()) {
    put(field, JsonValue(rapidjson::kArrayType));
    v = slot(field);
  }
  return *v;
}

namespace {

std::string_view string_of(const JsonValue& v) {
  return {v.GetString(), v.GetStringLength()};
}

// A slot: the item's hash in the high half (compared first, so that probing rarely touches the
// strings: the table stays in cache at 100,000 items), its position + 1 in the low half.
uint64_t hash_of(std::string_view value) {
  return std::hash<std::string_view>{}(value);
}

// Linear probing from the item's hash; returns the slot holding `value`, or the empty slot where
// it would go.
size_t probe(const std::vector<uint64_t>& slots, const JsonValue& array, std::string_view value,
             uint64_t hash) {
  const size_t mask = slots.size() - 1;
  const uint64_t tag = hash >> 32;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots[i];
    if (slot == 0) return i;
    if ((slot >> 32) != tag) continue;
    const JsonValue& item = array[static_cast<rapidjson::SizeType>((slot & 0xFFFFFFFFu) - 1)];
    if (item.IsString() && string_of(item) == value) return i;
  }
}

void index_item(std::vector<uint64_t>& slots, const JsonValue& array, uint32_t position) {
  const JsonValue& item = array[position];
  if (!item.IsString()) return;
  uint64_t hash = hash_of(string_of(item));
  size_t slot = probe(slots, array, string_of(item), hash);
  if (slots[slot] == 0) slots[slot] = (hash >> 32 << 32) | (position + 1u);  // the first stands
}

struct HashedItem {
  uint64_t hash;
  uint32_t position;  // in the list (existing items), then after them the items being added
};

bool hashed_before(const HashedItem& a, const HashedItem& b) {
  return a.hash != b.hash ? a.hash < b.hash : a.position < b.position;
}

// The items in (hash, position) order: a counting sort on the hash's top bits (one pass to count,
// one to place, positions kept in order within a bucket), then insertion into order within each
// bucket of about eight.
std::vector<HashedItem> group_by_hash(std::vector<HashedItem> items) {
  unsigned bits = 1;
  while ((size_t{1} << bits) < items.size() / 8 + 1) ++bits;
  const unsigned shift = 64 - bits;
  std::vector<uint32_t> start((size_t{1} << bits) + 1, 0);
  for (const HashedItem& item : items) ++start[(item.hash >> shift) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<HashedItem> sorted(items.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const HashedItem& item : items) sorted[next[item.hash >> shift]++] = item;
  for (size_t b = 0; b + 1 < start.size(); ++b) {
    for (uint32_t i = start[b] + 1; i < start[b + 1]; ++i) {
      HashedItem item = sorted[i];
      uint32_t j = i;
      for (; j > start[b] && hashed_before(item, sorted[j - 1]); --j) sorted[j] = sorted[j - 1];
      sorted[j] = item;
    }
  }
  return sorted;
}

}  // namespace

// A whole list at once (the common case: a study's conditions, a page's lines): duplicates are
// found by grouping (hash, position) pairs by hash, which stays in cache where a hash table probed
// once per item misses it on every probe past some 50,000 items. The grouping is a counting sort
// on the hash's top bits into buckets of about eight pairs, each then put in order by insertion:
// linear in the list's length (a comparison sort of all pairs was n log n).
void ParsedRecord::set_list(std::string_view field, const std::vector<std::string>& values) {
  if (values.size() < 64) {
    for (const auto& value : values) add_to_list(field, value);
    return;
  }
  JsonValue& array = list(field);
  std::vector<std::string_view> added;
  added.reserve(values.size());
  for (const auto& value : values)
    if (std::string_view v = trim(value); !v.empty()) added.push_back(v);
  const uint32_t existing = array.Size();
  auto text = [&](uint32_t position) -> std::optional<std::string_view> {
    if (position >= existing) return added[position - existing];
    const JsonValue& item = array[position];
    if (!item.IsString()) return std::nullopt;
    return string_of(item);
  };
  std::vector<HashedItem> entries;
  entries.reserve(existing + added.size());
  for (uint32_t i = 0; i < existing + added.size(); ++i)
    if (auto t = text(i)) entries.push_back({hash_of(*t), i});
  entries = group_by_hash(std::move(entries));
  std::vector<bool> duplicate(added.size(), false);
  for (size_t run = 0; run < entries.size();) {
    size_t end = run + 1;
    while (end < entries.size() && entries[end].hash == entries[run].hash) ++end;
    // Within one hash, an item equal to an earlier one (the first stands) is a duplicate.
    for (size_t i = run + 1; i < end; ++i) {
      if (entries[i].position < existing) continue;
      for (size_t j = run; j < i; ++j) {
        bool earlier_kept =
            entries[j].position < existing || !duplicate[entries[j].position - existing];
        if (earlier_kept && *text(entries[j].position) == *text(entries[i].position)) {
          duplicate[entries[i].position - existing] = true;
          break;
        }
      }
    }
    run = end;
  }
  array.Reserve(static_cast<rapidjson::SizeType>(existing + added.size()), doc_.GetAllocator());
  for (size_t i = 0; i < added.size(); ++i)
    if (!duplicate[i])
      array.PushBack(make_string(added[i], doc_.GetAllocator()), doc_.GetAllocator());
  // add_to_list indexes the list again when it next needs to (its size changed).
}

void ParsedRecord::add_to_list(std::string_view field, std::string_view value) {
  value = trim(value);
  if (value.empty()) return;
  JsonValue& array = list(field);
  ListIndex& index = list_index_[std::string(field)];
  // New, changed outside add_to_list, or over half full: index the array (again), at a load
  // factor of at most a half.
  if (index.size != array.Size() || index.slots.empty() ||
      2 * (index.used + 1) > index.slots.size()) {
    size_t capacity = 16;
    while (capacity < 4 * (array.Size() + 1)) capacity *= 2;
    index.slots.assign(capacity, 0);
    for (rapidjson::SizeType i = 0; i < array.Size(); ++i) index_item(index.slots, array, i);
    index.used = array.Size();
    index.size = array.Size();
  }
  const uint64_t hash = hash_of(value);
  size_t slot = probe(index.slots, array, value, hash);
  if (index.slots[slot] != 0) return;  // a duplicate
  array.PushBack(make_string(value, doc_.GetAllocator()), doc_.GetAllocator());
  index.slots[slot] = (hash >> 32 << 32) | array.Size();
  ++index.used;
  index.size = array.Size();
}

void ParsedRecord::set_typed(std::string_view field, std::string_view value_key,
                             const std::optional<std::string>& value,
                             const std::optional<std::string>& type) {
  if (!value || trim(*value).empty()) return;
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember(make_string(value_key, a), make_string(trim(*value), a), a);
  obj.AddMember("type", make_optional_string(type, a), a);
  put(field, std::move(obj));
}

void ParsedRecord::set_sponsor(std::string_view field, const std::optional<std::string>& name,
                               const std::optional<std::string>& sponsor_class) {
  if (!name && !sponsor_class) return;
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("name", make_optional_string(name, a), a);
  obj.AddMember("class", make_optional_string(sponsor_class, a), a);
  put(field, std::move(obj));
}

void ParsedRecord::add_collaborator(const std::optional<std::string>& name,
                                    const std::optional<std::string>& sponsor_class) {
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("name", make_optional_string(name, a), a);
  obj.AddMember("class", make_optional_string(sponsor_class, a), a);
  list("collaborators").PushBack(obj, a);
}

void ParsedRecord::set_responsible_party(const std::optional<std::string>& type,
                                         const std::optional<std::string>& name,
                                         const std::optional<std::string>& affiliation) {
  if (!type && !name && !affiliation) return;
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("type", make_optional_string(type, a), a);
  obj.AddMember("name", make_optional_string(name, a), a);
  obj.AddMember("affiliation", make_optional_string(affiliation, a), a);
  put("responsible_party", std::move(obj));
}

JsonValue ParsedRecord::person_value(const PersonRaw& person, bool with_affiliation) {
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("name", make_optional_string(person.name, a), a);
  obj.AddMember("role", make_optional_string(person.role, a), a);
  if (with_affiliation) {
    obj.AddMember("affiliation", make_optional_string(person.affiliation, a), a);
  } else {
    obj.AddMember("phone", make_optional_string(person.phone, a), a);
    obj.AddMember("email", make_optional_string(person.email, a), a);
  }
  return obj;
}

void ParsedRecord::add_official(const PersonRaw& person) {
  list("overall_officials").PushBack(person_value(person, true), doc_.GetAllocator());
}

void ParsedRecord::add_central_contact(const PersonRaw& person) {
  list("central_contacts").PushBack(person_value(person, false), doc_.GetAllocator());
}

void ParsedRecord::add_location(const LocationRaw& location) {
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("facility", make_optional_string(location.facility, a), a);
  obj.AddMember("city", make_optional_string(location.city, a), a);
  obj.AddMember("state", make_optional_string(location.state, a), a);
  obj.AddMember("zip", make_optional_string(location.zip, a), a);
  obj.AddMember("country", make_optional_string(location.country, a), a);
  obj.AddMember("status", make_optional_string(location.status, a), a);
  JsonValue contacts(rapidjson::kArrayType);
  for (const auto& c : location.contacts) contacts.PushBack(person_value(c, false), a);
  obj.AddMember("contacts", contacts, a);
  list("locations").PushBack(obj, a);
}

void ParsedRecord::add_arm(const ArmRaw& arm) {
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("label", make_optional_string(arm.label, a), a);
  obj.AddMember("type", make_optional_string(arm.type, a), a);
  obj.AddMember("description", make_optional_string(arm.description, a), a);
  obj.AddMember("intervention_names", make_string_array(arm.intervention_names, a), a);
  list("arms").PushBack(obj, a);
}

void ParsedRecord::add_intervention(const InterventionRaw& intervention) {
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("type", make_optional_string(intervention.type, a), a);
  obj.AddMember("name", make_optional_string(intervention.name, a), a);
  obj.AddMember("description", make_optional_string(intervention.description, a), a);
  obj.AddMember("other_names", make_string_array(intervention.other_names, a), a);
  list("interventions").PushBack(obj, a);
}

void ParsedRecord::add_outcome(std::string_view field, const OutcomeRaw& outcome) {
  auto& a = doc_.GetAllocator();
  JsonValue obj(rapidjson::kObjectType);
  obj.AddMember("measure", make_optional_string(outcome.measure, a), a);
  obj.AddMember("time_frame", make_optional_string(outcome.time_frame, a), a);
  obj.AddMember("description", make_optional_string(outcome.description, a), a);
  list(field).PushBack(obj, a);
}

void ParsedRecord::set_bool(std::string_view field, bool value) {
  put(field, JsonValue(value));
}

void ParsedRecord::warn(std::string_view message) {
  list("parse_warnings").PushBack(make_string(message, doc_.GetAllocator()), doc_.GetAllocator());
}

}  // namespace trialmill
