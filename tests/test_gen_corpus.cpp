// The load benchmark's corpus generator (bench/gen_corpus): what it makes must look like the
// registry's bulk download, or the benchmark measures something else. Needs ../shared/corpus.
#include <doctest/doctest.h>

#include <set>

#include "gen_corpus.hpp"
#include "support.hpp"
#include "trialmill/json.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"

using namespace trialmill;
using namespace trialmill::test;

TEST_CASE("corpus generator: pages of 1,000 distinct studies in the registry's mix of sizes") {
  if (!have_corpus()) return;
  bench::CorpusGenerator gen(corpus_dir() / "ctgov-v2", 1);
  constexpr size_t kTotal = 6000;
  std::set<std::string> ids;
  size_t ordinary = 0, huge = 0, with_results = 0;
  for (size_t p = 0; p < bench::CorpusGenerator::page_count(kTotal); ++p) {
    std::string text;
    gen.append_page(p, kTotal, text);
    JsonDocument page = parse_json(text, "page");
    REQUIRE(page["studies"].IsArray());
    CHECK(page["studies"].Size() == 1000);
    CHECK(page.HasMember("nextPageToken") == (p + 1 < bench::CorpusGenerator::page_count(kTotal)));
    for (const auto& study : page["studies"].GetArray()) {
      ids.insert(study["protocolSection"]["identificationModule"]["nctId"].GetString());
      size_t kb = to_json(study).size() / 1024;
      if (kb >= 6 && kb < 40) ++ordinary;
      if (kb >= 200) ++huge;
      if (study["hasResults"].GetBool()) {
        ++with_results;
        CHECK(study.HasMember("resultsSection"));
      }
    }
  }
  CHECK(ids.size() == kTotal);
  CHECK(ordinary > kTotal * 85 / 100);  // most studies are 6-40 KB
  CHECK(with_results > kTotal / 8);     // about one in six has results
  CHECK(with_results < kTotal / 5);
  // The registry's rare huge studies (hundreds of sites) are there, and rare.
  CHECK(huge > 0);
  CHECK(huge < kTotal / 100);
}

TEST_CASE("corpus generator: deterministic from the seed, and a page is its studies") {
  if (!have_corpus()) return;
  bench::CorpusGenerator a(corpus_dir() / "ctgov-v2", 7), b(corpus_dir() / "ctgov-v2", 7),
      other(corpus_dir() / "ctgov-v2", 8);
  std::string page_a, page_b;
  a.append_page(1, 2500, page_a, 100);
  b.append_page(1, 2500, page_b, 100);
  CHECK(page_a == page_b);
  std::string studies;
  for (size_t i = 100; i < 200; ++i) {
    if (i != 100) studies += ',';
    a.append_study(i, studies);
  }
  CHECK(page_a.find(studies) == std::string("{\"studies\":[").size());
  CHECK(a.nct_id(5) != other.nct_id(5));
}

TEST_CASE("corpus generator: every study is an API v2 study that parses and normalizes") {
  if (!have_corpus()) return;
  bench::CorpusGenerator gen(corpus_dir() / "ctgov-v2", 3);
  std::string page;
  gen.append_page(0, 300, page, 300);
  PageInput input{"generated", std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  size_t n = 0;
  parse_page_records(
      page, input,
      [&](JsonDocument&& record) {
        CHECK(*get_string(record, "nct_id") == gen.nct_id(n));
        JsonDocument normalized = normalize_record(record);
        CHECK(normalized.IsObject());
        ++n;
      },
      [](std::string&& message) { FAIL("a generated study failed: " << message); });
  CHECK(n == 300);
}
