// Long lists are parsed whole, in order, without duplicates — in time linear in their length
// (bench/bench_long_lists.cpp measures that; here only the outcome is checked).
#include <doctest/doctest.h>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/parse/ctgov_v2_json.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/parse/parsed_record.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

constexpr size_t kItems = 100000;

std::string condition(size_t i) {
  return str_cat("Condition ", i);
}

void check_conditions(const JsonValue& record, size_t count) {
  const JsonValue* conditions = find_member(record, "conditions");
  REQUIRE(conditions);
  REQUIRE(conditions->IsArray());
  REQUIRE(conditions->Size() == count);
  size_t out_of_order = 0;
  for (size_t i = 0; i < count; ++i) {
    const JsonValue& item = (*conditions)[static_cast<rapidjson::SizeType>(i)];
    if (!item.IsString() || item.GetString() != condition(i)) ++out_of_order;
  }
  CHECK(out_of_order == 0);
}

}  // namespace

TEST_CASE("long lists: 100,000 conditions of an API study are parsed whole and in order") {
  std::string items;
  for (size_t i = 0; i < kItems; ++i) items += (i ? ", " : "") + json_quote(condition(i));
  std::string page = str_cat(
      R"({"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": "Long"},)",
      R"( "conditionsModule": {"conditions": [)", items,
      R"(, "Condition 5"]}}, "hasResults": false})");
  PageInput input;
  input.name = "long.json";
  auto result = parse_ctgov_v2_json(page, input);
  REQUIRE(result.records.size() == 1);
  check_conditions(result.records.front(), kItems);  // the repeated "Condition 5" is dropped
}

TEST_CASE("long lists: 100,000 conditions of a Veeva page are parsed whole and in order") {
  std::string page = read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt");
  const std::string one = "Adenoid Cystic Carcinoma of the Head and Neck\n";
  size_t at = page.find(one);
  REQUIRE(at != std::string::npos);
  std::string lines;
  for (size_t i = 0; i < kItems; ++i) lines += condition(i) + "\n";
  lines += condition(7) + "\n";
  page.replace(at, one.size(), lines);
  PageInput input;
  input.name = "long.txt";
  auto records = parse_page(page, input);
  REQUIRE(records.size() == 1);
  check_conditions(records.front(), kItems);
}

TEST_CASE("long lists: a list changed outside add_to_list is still deduplicated") {
  ParsedRecord record;
  record.add_to_list("keywords", "a");
  record.add_to_list("keywords", "b");
  record.add_to_list("keywords", "a");
  record.set_list("keywords", {"b", "c"});
  JsonValue& keywords = record.doc()["keywords"];
  keywords.PushBack(make_string("d", record.doc().GetAllocator()), record.doc().GetAllocator());
  record.add_to_list("keywords", "d");
  record.add_to_list("keywords", " e ");
  std::vector<std::string> got;
  for (const auto& k : keywords.GetArray()) got.emplace_back(k.GetString());
  CHECK(got == std::vector<std::string>{"a", "b", "c", "d", "e"});
}
