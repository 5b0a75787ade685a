// Across every record from the seeds (text and HTML) and the whole shared corpus (page texts, API
// v2 studies and pages): no value outside the contract, and no normalize warning except the
// reviewed ones in fixtures/corpus-expected/warnings.tsv (values that truly cannot be mapped).
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/record_model.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

struct Page {
  fs::path path;
  std::optional<std::string> url;
};

std::vector<Page> all_pages() {
  std::vector<Page> pages;
  for (const char* dir : {"pages", "html"})
    for (const auto& e : fs::directory_iterator(fixtures_dir() / dir)) pages.push_back({e.path(), std::nullopt});
  if (!have_corpus()) return pages;
  for (const char* dir : {"ctgov-v2", "ctgov-v2-paged"})
    for (const auto& e : fs::directory_iterator(corpus_dir() / dir)) pages.push_back({e.path(), std::nullopt});
  std::ifstream urls(corpus_dir() / "pages" / "URLS.tsv");
  std::string line;
  while (std::getline(urls, line)) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) pages.push_back({corpus_dir() / "pages" / line.substr(0, tab), line.substr(tab + 1)});
  }
  return pages;
}

std::set<std::string> reviewed_warnings() {
  std::set<std::string> out;
  std::ifstream in(fixtures_dir() / "corpus-expected" / "warnings.tsv");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') out.insert(line);
  return out;
}

}  // namespace

TEST_CASE("normalize corpus: every record conforms and every warning is a reviewed unmappable value") {
  if (!have_corpus()) MESSAGE("shared corpus not present: seeds only");
  auto reviewed = reviewed_warnings();
  size_t records = 0;
  for (const auto& page : all_pages()) {
    CAPTURE(page.path.string());
    PageInput input;
    input.name = page.path.filename().string();
    input.url = page.url;
    try {
      for (auto& parsed : parse_page(read_text(page.path), input)) {
        JsonDocument record = normalize_record(parsed);
        ++records;
        std::string nct = get_string_or(record, "nct_id", "?");
        CAPTURE(nct);
        auto problems = validate_trial_record(record);
        CHECK_MESSAGE(problems.empty(), (problems.empty() ? std::string() : problems.front()));
        for (const auto& w : record["normalize_warnings"].GetArray()) {
          std::string key = get_string_or(w, "field", "") + "\t" + get_string_or(w, "raw", "");
          CHECK_MESSAGE(reviewed.count(key) == 1, "unreviewed warning: ", key);
        }
      }
    } catch (const Error& e) {
      // Only the pages that show no NCT ID may fail (fixtures/corpus-expected/errors.tsv).
      CHECK(std::string(e.what()).find("no NCT ID") != std::string::npos);
    }
  }
  CHECK(records >= (have_corpus() ? 70u : 10u));
}
