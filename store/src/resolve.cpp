// Resolution of records without an NCT ID. The keys are computed here rather than in SQL: the
// stored identifiers and titles are read once per look-up (a scan; an expression index on the
// key is the next step when pages without an NCT ID come in bulk).
#include "trialmill/store/resolve.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "trialmill/error.hpp"

namespace trialmill {

std::string resolution_key(std::string_view s) {
  std::string key;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80)
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

namespace {

std::set<std::string> trials_with_identifier(SQLite::Database& db, const std::string& key) {
  std::set<std::string> out;
  SQLite::Statement q(db,
                      "SELECT nct_id, value FROM trial_identifiers UNION ALL "
                      "SELECT nct_id, org_study_id FROM trials WHERE org_study_id IS NOT NULL");
  while (q.executeStep())
    if (resolution_key(q.getColumn(1).getString()) == key) out.insert(q.getColumn(0).getString());
  return out;
}

std::set<std::string> trials_with_title(SQLite::Database& db, const std::string& key) {
  std::set<std::string> out;
  SQLite::Statement q(db, "SELECT nct_id, brief_title, official_title FROM trials");
  while (q.executeStep())
    for (int c : {1, 2})
      if (!q.getColumn(c).isNull() && resolution_key(q.getColumn(c).getString()) == key)
        out.insert(q.getColumn(0).getString());
  return out;
}

std::string joined(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

Resolution resolve_trial(SQLite::Database& db, const JsonValue& record) {
  Resolution r;
  std::vector<std::pair<std::string, std::string>> tried;  // (what, value)
  auto str = [&](const char* f) -> std::optional<std::string> {
    auto it = record.FindMember(f);
    if (it == record.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0)
      return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
  };
  std::vector<std::pair<std::string, std::string>> ids;
  if (auto org = str("org_study_id")) ids.emplace_back("org_study_id", *org);
  if (auto it = record.FindMember("secondary_ids"); it != record.MemberEnd() && it->value.IsArray())
    for (const auto& v : it->value.GetArray())
      if (v.IsString()) ids.emplace_back("secondary_ids", v.GetString());
  // Identifiers first: a protocol number names one trial where a title may be shared.
  for (const auto& [what, value] : ids) {
    auto found = trials_with_identifier(db, resolution_key(value));
    if (found.size() == 1) {
      r.nct_id = *found.begin();
      r.how = str_cat(what, " \"", value, "\"");
      return r;
    }
    if (found.size() > 1) {
      r.refusal = str_cat(what, " \"", value, "\" matches ", found.size(), " stored trials (",
                          joined(found), ")");
      return r;
    }
    tried.emplace_back(what, value);
  }
  for (const char* field : {"official_title", "brief_title"}) {
    auto title = str(field);
    if (!title) continue;
    auto found = trials_with_title(db, resolution_key(*title));
    if (found.size() == 1) {
      r.nct_id = *found.begin();
      r.how = field;
      return r;
    }
    if (found.size() > 1) {
      r.refusal = str_cat(field, " matches ", found.size(), " stored trials (", joined(found), ")");
      return r;
    }
    tried.emplace_back(field, title->substr(0, 60));
  }
  std::string what;
  for (const auto& [f, v] : tried) what += str_cat(what.empty() ? "" : ", ", f, " \"", v, "\"");
  r.refusal = tried.empty() ? std::string("no NCT ID, no identifier and no title to resolve it by")
                            : str_cat("no stored trial matches its ", what);
  return r;
}

void resolve_in_place(SQLite::Database& db, JsonDocument& record) {
  Resolution r = resolve_trial(db, record);
  if (!r.nct_id) throw make_error("nct_id not shown on the page and not resolved: ", r.refusal);
  auto& a = record.GetAllocator();
  set_string(record, "nct_id", *r.nct_id, a);
  auto it = record.FindMember("normalize_warnings");
  if (it == record.MemberEnd() || !it->value.IsArray()) {
    record.RemoveMember("normalize_warnings");
    record.AddMember("normalize_warnings", JsonValue(rapidjson::kArrayType), a);
    it = record.FindMember("normalize_warnings");
  }
  std::string warning =
      str_cat("nct_id resolved to ", *r.nct_id, " by ", r.how, " (not shown on the page)");
  it->value.PushBack(
      JsonValue(warning.c_str(), static_cast<rapidjson::SizeType>(warning.size()), a), a);
}

}  // namespace trialmill
