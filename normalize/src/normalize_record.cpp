#include "trialmill/normalize/normalize_record.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <unordered_map>

#include "trialmill/error.hpp"
#include "trialmill/normalize/age.hpp"
#include "trialmill/normalize/criteria.hpp"
#include "trialmill/normalize/date.hpp"
#include "trialmill/normalize/enrollment.hpp"
#include "trialmill/normalize/interventions.hpp"
#include "trialmill/normalize/people.hpp"
#include "trialmill/normalize/thresholds.hpp"
#include "trialmill/normalize/vocabulary.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// "locations[3]": an item's path, the prefix of its members' paths.
std::string item_path(std::string_view list, size_t index) {
  std::string out(list);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

// A value's path in warnings and `raw` keys ("locations[3].status"): an item's path and one of
// its members, joined only when a warning or a raw value needs the text.
struct Path {
  std::string_view base;
  std::string_view member;  // empty: the path is `base`
  std::string str() const {
    std::string out(base);
    if (!member.empty()) {
      out += '.';
      out += member;
    }
    return out;
  }
};

class RecordNormalizer {
 public:
  explicit RecordNormalizer(const JsonValue& in) : in_(in), a_(out_.GetAllocator()) {
    out_.SetObject();
    raw_.SetObject();
    warnings_.SetArray();
  }

  // A protocol number, or a title long enough to be matched exactly (not a stub like "x").
  bool has_resolvable_identity() const {
    for (const char* field : {"org_study_id", "brief_title", "official_title"}) {
      const JsonValue* v = lookup(in_, field);
      if (v && v->IsString() && v->GetStringLength() >= (field[0] == 'o' && field[1] == 'r' ? 1u : 10u)) return true;
    }
    const JsonValue* ids = lookup(in_, "secondary_ids");
    return ids && ids->IsArray() && !ids->Empty();
  }

  JsonDocument run() {
    if (!in_.IsObject()) throw make_error("record is not a JSON object");
    // The record's members by name, the first of duplicates as FindMember gives: every field
    // looks up a few of some fifty members.
    for (const auto& m : in_.GetObject())
      top_.emplace(std::string_view(m.name.GetString(), m.name.GetStringLength()), &m.value);
    const JsonValue* nct_value = lookup(in_, "nct_id");
    auto nct = nct_value && nct_value->IsString()
                   ? std::optional<std::string>(std::in_place, nct_value->GetString(), nct_value->GetStringLength())
                   : std::nullopt;
    std::string nct_id = nct ? to_upper(trim(*nct)) : std::string();
    // A page that shows no NCT ID but its trial's identifiers or title goes on with nct_id null:
    // the store resolves it against the trials it holds, or refuses it (issue 18).
    bool absent = !nct_value || nct_value->IsNull();
    if (!is_nct_id(nct_id) && (!absent || !has_resolvable_identity())) throw make_error("no NCT ID");
    nct_id_ = nct_id;
    // Every key below is set once (the contract's field names are distinct): added, not looked up.
    for (const FieldSpec& spec : trial_fields()) set(spec.name, field(spec));
    // Machine-usable bounds read from the criteria just normalized (beyond the contract fields).
    set("eligibility_thresholds",
        thresholds_to_json(
            extract_eligibility_thresholds(inclusion_, exclusion_),
            a_));
    // Provenance is an object ({format, url, fetched_at, sha256}); anything else is refused
    // here rather than passed on for the store to trip over.
    if (const JsonValue* source = lookup(in_, "source");
        source && !source->IsNull() && !source->IsObject())
      throw make_error("source: must be an object, not ", to_json(*source).substr(0, 80));
    set("source", copy_member("source", false));
    set("parse_warnings", string_list("parse_warnings"));
    set("raw", std::move(raw_));
    set("normalize_warnings", std::move(warnings_));
    return std::move(out_);
  }

 private:
  const JsonValue& in_;
  JsonDocument out_;
  JsonAllocator& a_;
  JsonValue raw_;
  JsonValue warnings_;
  std::string nct_id_;
  std::string org_study_id_;
  std::unordered_map<std::string_view, const JsonValue*> top_;  // in_'s members
  std::optional<CriteriaSections> sections_;                     // of eligibility_criteria
  std::vector<std::string> inclusion_, exclusion_;  // the criteria lists as set in out_

  // find_member, through the index for the record itself.
  const JsonValue* lookup(const JsonValue& obj, std::string_view key) const {
    if (&obj != &in_) return find_member(obj, key);
    auto it = top_.find(key);
    return it == top_.end() ? nullptr : it->second;
  }

  void set(std::string_view key, JsonValue v) { add(out_, key, std::move(v)); }
  // A member of an object made here, whose keys are distinct by construction: no look-up first
  // (set_member scans the object, which for `raw` of a study with hundreds of sites is quadratic).
  void add(JsonValue& object, std::string_view key, JsonValue v) {
    assert(find_member(object, key) == nullptr);
    object.AddMember(str(key), v, a_);
  }
  JsonValue str(std::string_view s) { return make_string(s, a_); }
  JsonValue null() { return JsonValue(rapidjson::kNullType); }
  JsonValue opt(const std::optional<std::string>& s) { return make_optional_string(s, a_); }
  JsonValue opt_view(std::optional<std::string_view> s) { return s ? str(*s) : null(); }
  // Whole numbers are written as integers ("18", not "18.0").
  static JsonValue number(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return JsonValue(static_cast<int64_t>(v));
    return JsonValue(v);
  }

  void warn(const std::string& field, const JsonValue& raw, std::string_view message) {
    JsonValue w(rapidjson::kObjectType);
    set_string(w, "field", field, a_);
    set_member(w, "raw", raw.IsString() ? JsonValue(raw, a_) : str(to_json(raw)), a_);
    set_string(w, "message", message, a_);
    warnings_.PushBack(w, a_);
  }
  void keep_raw(std::string_view path, const JsonValue& raw) {
    if (!raw.IsNull()) add(raw_, path, JsonValue(raw, a_));
  }
  void keep_raw(const Path& path, const JsonValue& raw) {
    if (!raw.IsNull()) add(raw_, path.str(), JsonValue(raw, a_));
  }

  // A string member; another JSON type is reported and read as absent.
  std::optional<std::string> text(const JsonValue& obj, std::string_view key, const Path& path) {
    auto view = text_view(obj, key, path);
    return view ? std::optional<std::string>(*view) : std::nullopt;
  }
  // The same as a view into the record, for values that are only collapsed or copied once.
  // (Read up to a NUL, as the string always was.)
  std::optional<std::string_view> text_view(const JsonValue& obj, std::string_view key, const Path& path) {
    const JsonValue* v = obj.IsObject() ? lookup(obj, key) : nullptr;
    if (!v || v->IsNull()) return std::nullopt;
    if (!v->IsString()) {
      warn(path.str(), *v, "expected a string");
      return std::nullopt;
    }
    std::string_view s = trim(v->GetString());
    if (s.empty()) return std::nullopt;
    return s;
  }
  std::optional<std::string> text(std::string_view key) { return text(in_, key, Path{key, {}}); }

  const JsonValue* member(const JsonValue& obj, std::string_view key) {
    const JsonValue* v = obj.IsObject() ? lookup(obj, key) : nullptr;
    return v && !v->IsNull() ? v : nullptr;
  }

  // The elements of a list member; a non-list is reported and read as empty.
  std::vector<const JsonValue*> items(const JsonValue& obj, std::string_view key, const Path& path) {
    std::vector<const JsonValue*> out;
    const JsonValue* v = member(obj, key);
    if (!v) return out;
    if (!v->IsArray()) {
      warn(path.str(), *v, "expected a list");
      return out;
    }
    for (const auto& item : v->GetArray()) out.push_back(&item);
    return out;
  }

  JsonValue copy_member(std::string_view key, bool list) {
    const JsonValue* v = member(in_, key);
    if (!v) return list ? JsonValue(rapidjson::kArrayType) : null();
    return JsonValue(*v, a_);
  }

  JsonValue string_list(std::string_view key, const Path& path) {
    JsonValue out(rapidjson::kArrayType);
    for (const JsonValue* item : items(in_, key, path)) {
      if (!item->IsString()) {
        warn(path.str(), *item, "expected a string");
        continue;
      }
      std::string s = collapse_whitespace(item->GetString());
      if (!s.empty()) out.PushBack(str(s), a_);
    }
    return out;
  }
  JsonValue string_list(std::string_view key) { return string_list(key, Path{key, {}}); }

  // A raw string mapped through a vocabulary: raw kept, unmapped -> null + warning.
  JsonValue vocab(const JsonValue& obj, std::string_view key, const Path& path,
                  Vocabulary vocabulary) {
    const JsonValue* v = member(obj, key);
    if (!v) return null();
    keep_raw(path, *v);
    if (!v->IsString()) {
      warn(path.str(), *v, "expected a string");
      return null();
    }
    if (trim(v->GetString()).empty()) return null();
    if (auto mapped = map_vocabulary(vocabulary, v->GetString())) return str(*mapped);
    warn(path.str(), *v, str_cat("no ", vocabulary_name(vocabulary), " value matches"));
    return null();
  }

  JsonValue field(const FieldSpec& spec) {
    std::string_view name = spec.name;
    if (name == "nct_id") return nct_id_.empty() ? JsonValue() : str(nct_id_);
    if (name == "brief_title" || name == "official_title") {
      auto t = text_view(in_, name, Path{name, {}});
      return t ? str(collapse_whitespace(*t)) : null();
    }
    if (name == "org_study_id") {
      auto t = text(name);
      if (t) org_study_id_ = *t;
      return opt(t);
    }
    if (name == "secondary_ids") return secondary_ids();
    if (name == "related_nct_ids") return related_nct_ids();
    if (name == "phases") return phases();
    if (name == "enrollment") return enrollment();
    if (name == "arms") return arms();
    if (name == "interventions") return interventions();
    if (name == "primary_outcomes" || name == "secondary_outcomes") return outcomes(name);
    if (name == "minimum_age" || name == "maximum_age") return age(name);
    if (name == "min_age_years" || name == "max_age_years") return age_years(name);
    if (name == "healthy_volunteers") return healthy_volunteers();
    if (name == "has_results") return has_results();
    if (name == "inclusion_criteria" || name == "exclusion_criteria") return criteria(name);
    if (name == "eligibility_criteria") return eligibility_text();
    if (name == "first_posted" || name == "last_update_posted" || name == "last_verified")
      return plain_date(name);
    if (name == "lead_sponsor") return sponsor_or_null();
    if (name == "collaborators") return collaborators();
    if (name == "responsible_party") return responsible_party();
    if (name == "overall_officials") return officials();
    if (name == "central_contacts") return contacts(in_, "central_contacts", "central_contacts");
    if (name == "locations") return locations();
    switch (spec.kind) {
      case FieldKind::enum_value: return vocab(in_, name, Path{name, {}}, spec.vocabulary);
      case FieldKind::dated: return dated(name);
      case FieldKind::string_list: return string_list(name);
      case FieldKind::string: return opt_view(text_view(in_, name, Path{name, {}}));
      default: return null();
    }
  }

  JsonValue secondary_ids() {
    JsonValue list = string_list("secondary_ids");
    JsonValue out(rapidjson::kArrayType);
    auto org = text("org_study_id");
    std::vector<std::string> seen;
    for (const auto& v : list.GetArray()) {
      std::string id = v.GetString();
      if (iequals(id, nct_id_) || (org && iequals(id, *org))) continue;
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      out.PushBack(str(id), a_);
    }
    return out;
  }

  JsonValue related_nct_ids() {
    JsonValue out(rapidjson::kArrayType);
    std::vector<std::string> seen;
    for (const JsonValue* item : items(in_, "related_nct_ids", Path{"related_nct_ids", {}})) {
      if (!item->IsString()) {
        warn("related_nct_ids", *item, "expected a string");
        continue;
      }
      std::string id = to_upper(trim(item->GetString()));
      if (!is_nct_id(id)) {
        warn("related_nct_ids", *item, "not an NCT ID");
        continue;
      }
      if (id == nct_id_ || std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      out.PushBack(str(id), a_);
    }
    return out;
  }

  JsonValue phases() {
    JsonValue out(rapidjson::kArrayType);
    const JsonValue* v = member(in_, "phases");
    if (!v) return out;
    keep_raw("phases", *v);
    std::optional<std::vector<std::string>> mapped;
    if (v->IsString()) {
      if (trim(v->GetString()).empty()) return out;
      mapped = map_phases(v->GetString());
    } else if (v->IsArray()) {
      std::vector<std::string> raw_items;
      bool all_strings = true;
      for (const auto& item : v->GetArray()) {
        if (item.IsString()) raw_items.emplace_back(item.GetString());
        else all_strings = false;
      }
      if (all_strings) mapped = map_phases(raw_items);
    }
    if (!mapped) {
      warn("phases", *v, "no phase value matches");
      return out;
    }
    for (const auto& p : *mapped) out.PushBack(str(p), a_);
    return out;
  }

  JsonValue enrollment() {
    const JsonValue* v = member(in_, "enrollment");
    if (!v) return null();
    keep_raw("enrollment", *v);
    std::optional<std::string> count_text;
    std::optional<std::string> type_text;
    if (v->IsString()) {
      count_text = v->GetString();
    } else if (v->IsObject()) {
      const JsonValue* count = member(*v, "count");
      if (count && count->IsInt64() && count->GetInt64() >= 0) count_text = std::to_string(count->GetInt64());
      else if (count && count->IsString()) count_text = count->GetString();
      type_text = text(*v, "type", Path{"enrollment.type", {}});
    }
    if (!count_text || trim(*count_text).empty()) {
      if (v->IsObject() && !member(*v, "count")) return null();
      warn("enrollment", *v, "no enrollment count found");
      return null();
    }
    std::optional<std::string_view> type_view;
    if (type_text) type_view = *type_text;
    auto e = parse_enrollment(*count_text, type_view);
    if (!e) {
      warn("enrollment", *v, "enrollment not recognised");
      return null();
    }
    JsonValue out(rapidjson::kObjectType);
    add(out, "count", JsonValue(static_cast<int64_t>(e->count)));
    add(out, "type", opt(e->type));
    return out;
  }

  JsonValue arms() {
    JsonValue out(rapidjson::kArrayType);
    auto list = items(in_, "arms", Path{"arms", {}});
    for (size_t i = 0; i < list.size(); ++i) {
      const JsonValue& arm = *list[i];
      std::string item = item_path("arms", i);
      if (!arm.IsObject()) {
        warn(item, arm, "expected an object");
        continue;
      }
      JsonValue o(rapidjson::kObjectType);
      auto label = text_view(arm, "label", Path{item, "label"});
      add(o, "label", label ? str(collapse_whitespace(*label)) : null());
      add(o, "type", vocab(arm, "type", Path{item, "type"}, Vocabulary::arm_type));
      add(o, "description", opt_view(text_view(arm, "description", Path{item, "description"})));
      JsonValue names(rapidjson::kArrayType);
      Path names_path{item, "intervention_names"};
      for (const JsonValue* n : items(arm, "intervention_names", names_path)) {
        if (n->IsString() && !trim(n->GetString()).empty()) {
          std::string name = arm_intervention_name(n->GetString());
          if (name != collapse_whitespace(n->GetString()))
            keep_raw(names_path.str() + "[" + std::to_string(names.Size()) + "]", *n);
          names.PushBack(str(name), a_);
        }
        else if (!n->IsString())
          warn(names_path.str(), *n, "expected a string");
      }
      add(o, "intervention_names", std::move(names));
      out.PushBack(o, a_);
    }
    return out;
  }

  JsonValue interventions() {
    std::vector<Intervention> found;
    auto list = items(in_, "interventions", Path{"interventions", {}});
    for (size_t i = 0; i < list.size(); ++i) {
      const JsonValue& item = *list[i];
      std::string path = item_path("interventions", i);
      if (!item.IsObject()) {
        warn(path, item, "expected an object");
        continue;
      }
      Intervention iv;
      JsonValue type = vocab(item, "type", Path{path, "type"}, Vocabulary::intervention_type);
      if (type.IsString()) iv.type = type.GetString();
      Path name_path{path, "name"};
      auto name = text(item, "name", name_path);
      if (name) {
        TypedName split = split_type_prefix(*name);
        if (split.type && (!iv.type || iv.type == split.type)) {
          keep_raw(name_path, *member(item, "name"));
          if (!iv.type) iv.type = split.type;
          iv.name = split.name;
        } else {
          iv.name = collapse_whitespace(*name);
        }
      }
      iv.description = text(item, "description", Path{path, "description"});
      for (const JsonValue* n : items(item, "other_names", Path{path, "other_names"})) {
        if (n->IsString() && !trim(n->GetString()).empty())
          iv.other_names.push_back(collapse_whitespace(n->GetString()));
      }
      if (iv.name.empty() && !iv.type) continue;
      found.push_back(std::move(iv));
    }
    JsonValue out(rapidjson::kArrayType);
    for (const auto& iv : dedupe_interventions(std::move(found))) {
      JsonValue o(rapidjson::kObjectType);
      add(o, "type", opt(iv.type));
      add(o, "name", iv.name.empty() ? null() : str(iv.name));
      add(o, "description", opt(iv.description));
      add(o, "other_names", make_string_array(iv.other_names, a_));
      out.PushBack(o, a_);
    }
    return out;
  }

  JsonValue outcomes(std::string_view key) {
    JsonValue out(rapidjson::kArrayType);
    auto list = items(in_, key, Path{key, {}});
    for (size_t i = 0; i < list.size(); ++i) {
      const JsonValue& item = *list[i];
      std::string path = item_path(key, i);
      if (!item.IsObject()) {
        warn(path, item, "expected an object");
        continue;
      }
      JsonValue o(rapidjson::kObjectType);
      for (std::string_view m : {"measure", "time_frame", "description"})
        add(o, m, opt_view(text_view(item, m, Path{path, m})));
      out.PushBack(o, a_);
    }
    return out;
  }

  std::optional<Age> read_age(std::string_view key, bool report) {
    const JsonValue* v = member(in_, key);
    if (!v) return std::nullopt;
    if (report) keep_raw(key, *v);
    if (!v->IsString()) {
      if (report) warn(std::string(key), *v, "expected a string");
      return std::nullopt;
    }
    AgeResult r = parse_age(v->GetString(),
                            key == "minimum_age" ? AgeBound::minimum : AgeBound::maximum);
    if (!r.recognized && report) warn(std::string(key), *v, "age not recognised");
    return r.age;
  }

  JsonValue age(std::string_view key) {
    auto a = read_age(key, true);
    if (!a) return null();
    JsonValue o(rapidjson::kObjectType);
    add(o, "value", number(a->value));
    add(o, "unit", str(a->unit));
    return o;
  }

  JsonValue age_years(std::string_view key) {
    auto a = read_age(key == "min_age_years" ? "minimum_age" : "maximum_age", false);
    return a ? number(age_in_years(*a)) : null();
  }

  // A yes/no field: a bool passes through, strings are looked up in the two word lists.
  JsonValue yes_no(std::string_view key, std::initializer_list<std::string_view> yes,
                   std::initializer_list<std::string_view> no) {
    const JsonValue* v = member(in_, key);
    if (!v) return null();
    if (v->IsBool()) return JsonValue(v->GetBool());
    keep_raw(key, *v);
    if (v->IsString()) {
      std::string k = fold_key(v->GetString());
      if (k.empty()) return null();
      if (std::find(yes.begin(), yes.end(), k) != yes.end()) return JsonValue(true);
      if (std::find(no.begin(), no.end(), k) != no.end()) return JsonValue(false);
    }
    warn(std::string(key), *v, "neither yes nor no");
    return null();
  }

  JsonValue healthy_volunteers() {
    return yes_no("healthy_volunteers",
                  {"accepts healthy volunteers", "yes", "true", "healthy volunteers",
                   "accepts healthy volunteers yes", "healthy volunteers accepted"},
                  {"no healthy volunteers", "no", "false", "does not accept healthy volunteers",
                   "accepts healthy volunteers no", "healthy volunteers not accepted"});
  }

  JsonValue has_results() {
    return yes_no("has_results",
                  {"results available", "study results available", "has results", "yes", "true",
                   "results posted"},
                  {"results pending", "no results posted", "no results available", "no results",
                   "no", "false", "results not available"});
  }

  JsonValue eligibility_text() {
    const JsonValue* v = member(in_, "eligibility_criteria");
    if (!v) return null();
    if (!v->IsString()) {
      warn("eligibility_criteria", *v, "expected a string");
      return null();
    }
    if (trim(v->GetString()).empty()) return null();
    return str(v->GetString());
  }

  JsonValue criteria(std::string_view key) {
    JsonValue out(rapidjson::kArrayType);
    // Only this field's own wrong type is reported; the other is just looked at.
    std::optional<std::string> block = text(key);
    const JsonValue* other_value =
        lookup(in_, key == "inclusion_criteria" ? "exclusion_criteria" : "inclusion_criteria");
    bool other = other_value && other_value->IsString() &&
                 !trim(std::string_view(other_value->GetString(), other_value->GetStringLength())).empty();
    if (!block && !other) {
      const JsonValue* v = member(in_, "eligibility_criteria");
      if (v && v->IsString()) {
        // Both lists come from the same text: it is split into its sections once.
        if (!sections_) sections_ = split_eligibility_sections(v->GetString());
        block = key == "inclusion_criteria" ? sections_->inclusion : sections_->exclusion;
      }
    } else {
      // Re-read untrimmed: the first line's indentation tells the list level.
      const JsonValue* v = member(in_, key);
      if (v && v->IsString()) block = std::string(v->GetString());
    }
    if (!block) return out;
    std::vector<std::string> entries = split_criteria(*block);
    for (const auto& entry : entries) out.PushBack(str(entry), a_);
    (key == "inclusion_criteria" ? inclusion_ : exclusion_) = std::move(entries);
    return out;
  }

  JsonValue dated(std::string_view key) {
    const JsonValue* v = member(in_, key);
    if (!v) return null();
    keep_raw(key, *v);
    std::optional<std::string> date_text, type_text;
    if (v->IsString()) {
      date_text = v->GetString();
    } else if (v->IsObject()) {
      date_text = text(*v, "date", Path{key, "date"});
      type_text = text(*v, "type", Path{key, "type"});
    }
    if (!date_text) {
      if (!v->IsObject()) warn(std::string(key), *v, "expected {date, type}");
      return null();
    }
    auto date = parse_date(*date_text);
    if (!date) {
      warn(std::string(key), *v, "date not recognised");
      return null();
    }
    JsonValue o(rapidjson::kObjectType);
    add(o, "date", str(*date));
    std::optional<std::string> type;
    if (type_text) {
      type = map_date_type(*type_text);
      if (!type) warn(Path{key, "type"}.str(), str(*type_text), "date type not recognised");
    }
    add(o, "type", opt(type));
    return o;
  }

  JsonValue plain_date(std::string_view key) {
    auto t = text(key);
    if (!t) return null();
    keep_raw(key, *member(in_, key));
    auto date = parse_date(*t);
    if (!date) warn(std::string(key), *member(in_, key), "date not recognised");
    return opt(date);
  }

  JsonValue sponsor(const JsonValue& item, std::string_view path) {
    JsonValue o(rapidjson::kObjectType);
    auto name = text(item, "name", Path{path, "name"});
    JsonValue name_value = null();
    if (name) {
      std::string clean = normalize_sponsor_name(*name);
      if (clean != *name) keep_raw(Path{path, "name"}, *member(item, "name"));
      name_value = str(clean);
    }
    add(o, "name", std::move(name_value));
    add(o, "class", vocab(item, "class", Path{path, "class"}, Vocabulary::sponsor_class));
    return o;
  }

  JsonValue sponsor_or_null() {
    const JsonValue* v = member(in_, "lead_sponsor");
    if (!v) return null();
    if (!v->IsObject()) {
      warn("lead_sponsor", *v, "expected an object");
      return null();
    }
    return sponsor(*v, "lead_sponsor");
  }

  JsonValue collaborators() {
    JsonValue out(rapidjson::kArrayType);
    auto list = items(in_, "collaborators", Path{"collaborators", {}});
    for (size_t i = 0; i < list.size(); ++i) {
      std::string path = item_path("collaborators", i);
      if (!list[i]->IsObject()) {
        warn(path, *list[i], "expected an object");
        continue;
      }
      out.PushBack(sponsor(*list[i], path), a_);
    }
    return out;
  }

  JsonValue person_name(const JsonValue& item, std::string_view path) {
    auto name = text(item, "name", Path{path, "name"});
    if (!name) return null();
    std::string clean = strip_name_titles(*name);
    if (clean != *name) keep_raw(Path{path, "name"}, *member(item, "name"));
    return clean.empty() ? null() : str(clean);
  }

  JsonValue responsible_party() {
    const JsonValue* v = member(in_, "responsible_party");
    if (!v) return null();
    if (!v->IsObject()) {
      warn("responsible_party", *v, "expected an object");
      return null();
    }
    JsonValue o(rapidjson::kObjectType);
    add(o, "type", vocab(*v, "type", Path{"responsible_party", "type"}, Vocabulary::responsible_party_type));
    add(o, "name", person_name(*v, "responsible_party"));
    add(o, "affiliation", opt_view(text_view(*v, "affiliation", Path{"responsible_party", "affiliation"})));
    return o;
  }

  JsonValue officials() {
    JsonValue out(rapidjson::kArrayType);
    auto list = items(in_, "overall_officials", Path{"overall_officials", {}});
    for (size_t i = 0; i < list.size(); ++i) {
      const JsonValue& item = *list[i];
      std::string path = item_path("overall_officials", i);
      if (!item.IsObject()) {
        warn(path, item, "expected an object");
        continue;
      }
      auto name = text(item, "name", Path{path, "name"});
      std::vector<Person> people;
      if (name) people = split_people(*name);
      if (people.empty()) people.push_back(Person{});
      if (name && (people.size() != 1 || people[0].name != *name))
        keep_raw(Path{path, "name"}, *member(item, "name"));
      JsonValue role = vocab(item, "role", Path{path, "role"}, Vocabulary::official_role);
      auto affiliation = text(item, "affiliation", Path{path, "affiliation"});
      for (const auto& p : people) {
        JsonValue o(rapidjson::kObjectType);
        add(o, "name", p.name.empty() ? null() : str(p.name));
        add(o, "role", JsonValue(role, a_));
        add(o, "affiliation", opt(affiliation));
        out.PushBack(o, a_);
      }
    }
    return out;
  }

  // Contact lists: one raw entry may name several people, with phones and emails inside.
  JsonValue contacts(const JsonValue& obj, std::string_view key, std::string_view base) {
    JsonValue out(rapidjson::kArrayType);
    auto list = items(obj, key, Path{base, {}});
    for (size_t i = 0; i < list.size(); ++i) {
      const JsonValue& item = *list[i];
      std::string path = item_path(base, i);
      if (!item.IsObject()) {
        warn(path, item, "expected an object");
        continue;
      }
      auto name = text(item, "name", Path{path, "name"});
      auto role = text(item, "role", Path{path, "role"});
      auto phone = text(item, "phone", Path{path, "phone"});
      auto email = text(item, "email", Path{path, "email"});
      std::vector<Person> people;
      if (name) people = split_people(*name);
      if (name && (people.size() != 1 || people[0].name != *name))
        keep_raw(Path{path, "name"}, *member(item, "name"));
      if (people.empty()) people.push_back(Person{});
      for (const auto& p : people) {
        JsonValue o(rapidjson::kObjectType);
        add(o, "name", p.name.empty() ? null() : str(p.name));
        add(o, "role", opt(role));
        // The page's own phone/email fields go to the first person; found ones to their owner.
        bool first = &p == &people.front();
        add(o, "phone", opt(p.phone ? p.phone : (first ? phone : std::nullopt)));
        add(o, "email", opt(p.email ? p.email : (first ? email : std::nullopt)));
        if (o["name"].IsNull() && o["phone"].IsNull() && o["email"].IsNull()) continue;
        out.PushBack(o, a_);
      }
    }
    return out;
  }

  JsonValue locations() {
    JsonValue out(rapidjson::kArrayType);
    auto list = items(in_, "locations", Path{"locations", {}});
    for (size_t i = 0; i < list.size(); ++i) {
      const JsonValue& item = *list[i];
      std::string path = item_path("locations", i);
      if (!item.IsObject()) {
        warn(path, item, "expected an object");
        continue;
      }
      JsonValue o(rapidjson::kObjectType);
      for (std::string_view m : {"facility", "city", "state", "zip", "country"}) {
        auto t = text_view(item, m, Path{path, m});
        add(o, m, t ? str(collapse_whitespace(*t)) : null());
      }
      add(o, "status", vocab(item, "status", Path{path, "status"}, Vocabulary::overall_status));
      add(o, "contacts", contacts(item, "contacts", Path{path, "contacts"}.str()));
      out.PushBack(o, a_);
    }
    return out;
  }
};

}  // namespace

JsonDocument normalize_record(const JsonValue& parsed) { return RecordNormalizer(parsed).run(); }

}  // namespace trialmill
