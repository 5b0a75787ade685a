// Pages of trial finders and aggregator sites no profile was written for: what trialmill gives
// (parse + normalize, with each page's address) against the expected fields read from each page
// (fixtures/aggregator-expected/ for pages-aggregators, fixtures/corpus-expected/other_* for the
// six aggregator pages of pages/). Reports the share of fields right and holds it above a floor.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

std::map<std::string, std::string> urls_in(const fs::path& dir) {
  std::map<std::string, std::string> rows;
  std::ifstream in(dir / "URLS.tsv");
  std::string line;
  while (std::getline(in, line))
    if (size_t tab = line.find('\t'); tab != std::string::npos)
      rows[line.substr(0, tab)] = line.substr(tab + 1);
  return rows;
}

std::string id_key(std::string_view s) {
  std::string k;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      k.push_back(static_cast<char>(std::tolower(c)));
  return k;
}

std::optional<JsonDocument> parse_and_normalize(const fs::path& page, const std::string& url) {
  PageInput input;
  input.name = page.filename().string();
  input.url = url;
  try {
    auto records = parse_page(read_text(page), input);
    if (records.size() != 1) return std::nullopt;
    return normalize_record(records.front());
  } catch (const Error&) {
    return std::nullopt;
  }
}

// One expected field against the record (nullopt: the page was refused).
bool field_right(const std::string& field, const JsonValue& expected,
                 const std::optional<JsonDocument>& record) {
  if (field == "nct_id" && expected.IsNull()) return !record || (*record)["nct_id"].IsNull();
  if (!record) return false;
  const JsonDocument& r = *record;
  if (field == "ids") {
    std::vector<std::string> have;
    if (auto org = get_string(r, "org_study_id")) have.push_back(id_key(*org));
    for (const auto& id : r["secondary_ids"].GetArray()) have.push_back(id_key(id.GetString()));
    for (const auto& id : expected.GetArray())
      if (std::find(have.begin(), have.end(), id_key(id.GetString())) == have.end()) return false;
    return true;
  }
  if (field == "lead_sponsor") {
    const JsonValue& s = r["lead_sponsor"];
    return s.IsObject() && get_string_or(s, "name", "") == expected.GetString();
  }
  if (field == "enrollment") {
    const JsonValue& e = r["enrollment"];
    return e.IsObject() && e["count"].IsNumber() && e["count"].GetDouble() == expected.GetDouble();
  }
  if (field == "min_age_years" || field == "max_age_years") {
    const JsonValue& v = r[field.c_str()];
    return v.IsNumber() && std::fabs(v.GetDouble() - expected.GetDouble()) < 0.01;
  }
  if (field == "brief_title" || field == "official_title") {
    if (expected.IsNull()) return r[field.c_str()].IsNull();
    auto t = get_string(r, field);
    return t && collapse_whitespace(*t) == expected.GetString();
  }
  return to_json(r[field.c_str()]) == to_json(expected);
}

}  // namespace

TEST_CASE(
    "aggregator pages: the fields each page shows, against the expected fields read from it") {
  fs::path corpus = corpus_dir();
  if (!fs::exists(corpus / "pages-aggregators" / "URLS.tsv")) {
    MESSAGE("shared corpus not present; skipped");
    return;
  }
  static const std::vector<std::string> kFields = {
      "nct_id",         "brief_title",   "official_title", "ids",
      "overall_status", "phases",        "study_type",     "sex",
      "min_age_years",  "max_age_years", "lead_sponsor",   "enrollment"};
  std::map<std::string, std::pair<size_t, size_t>> per_field;  // right, total
  size_t pages = 0;
  auto score = [&](const fs::path& page, const std::string& url, const JsonValue& expected) {
    auto record = parse_and_normalize(page, url);
    ++pages;
    for (const auto& field : kFields) {
      if (!expected.HasMember(field.c_str())) continue;
      bool right = field_right(field, expected[field.c_str()], record);
      auto& [r, t] = per_field[field];
      r += right;
      ++t;
    }
  };
  auto aggregator_urls = urls_in(corpus / "pages-aggregators");
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "aggregator-expected")) {
    JsonDocument expected = parse_json(read_text(entry.path()), entry.path().string());
    fs::path page = corpus / get_string_or(expected, "page", "");
    REQUIRE_MESSAGE(fs::exists(page), page.string());
    score(page, aggregator_urls.at(page.filename().string()), expected);
  }
  // The other_* pages' reviewed records, reduced to the same fields.
  auto page_urls = urls_in(corpus / "pages");
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "corpus-expected")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("other_", 0) != 0) continue;
    JsonDocument full = parse_json(read_text(entry.path()), name);
    JsonDocument expected;
    expected.SetObject();
    auto& a = expected.GetAllocator();
    for (const char* f : {"nct_id", "brief_title", "official_title", "overall_status", "phases",
                          "study_type", "sex", "min_age_years", "max_age_years"})
      if (!is_empty_value(full[f])) expected.AddMember(JsonValue(f, a), JsonValue(full[f], a), a);
    JsonValue ids(rapidjson::kArrayType);
    if (full["org_study_id"].IsString()) ids.PushBack(JsonValue(full["org_study_id"], a), a);
    for (const auto& id : full["secondary_ids"].GetArray()) ids.PushBack(JsonValue(id, a), a);
    if (!ids.Empty()) expected.AddMember("ids", ids, a);
    if (full["lead_sponsor"].IsObject())
      expected.AddMember("lead_sponsor", JsonValue(full["lead_sponsor"]["name"], a), a);
    if (full["enrollment"].IsObject())
      expected.AddMember("enrollment", JsonValue(full["enrollment"]["count"], a), a);
    std::string page_name = name.substr(0, name.size() - 5) + ".txt";
    score(corpus / "pages" / page_name, page_urls.at(page_name), expected);
  }
  size_t right = 0, total = 0;
  std::string report;
  for (const auto& [field, rt] : per_field) {
    right += rt.first;
    total += rt.second;
    report += str_cat("  ", field, " ", rt.first, "/", rt.second, "\n");
  }
  double share = total ? 100.0 * static_cast<double>(right) / static_cast<double>(total) : 0;
  MESSAGE(pages, " pages, ", right, "/", total, " fields right (",
          static_cast<int>(share * 10) / 10.0, "%)\n", report);
  CHECK(pages == 58);
  // The floor is the share measured when this test was written (30% before issue 18): a change
  // that reads these pages worse fails here.
  CHECK(share >= 56.0);
}
