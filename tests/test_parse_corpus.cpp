// Every real page text in ../shared/corpus/pages gives the fields it shows: parse + normalize
// compared with the reviewed records in fixtures/corpus-expected/ (or the page's expected error).
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

std::map<std::string, std::string> read_tsv(const fs::path& path) {
  std::map<std::string, std::string> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) rows[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return rows;
}

}  // namespace

TEST_CASE("corpus: every page text gives its expected record or its expected error") {
  fs::path pages = corpus_dir() / "pages";
  if (!fs::exists(pages / "URLS.tsv")) {
    MESSAGE("shared corpus not present; skipped");
    return;
  }
  fs::path expected_dir = fixtures_dir() / "corpus-expected";
  auto urls = read_tsv(pages / "URLS.tsv");
  auto errors = read_tsv(expected_dir / "errors.tsv");
  REQUIRE(urls.size() >= 19);
  size_t checked = 0;
  for (const auto& [file, url] : urls) {
    CAPTURE(file);
    std::string bytes = read_text(pages / file);
    PageInput input;
    input.name = file;
    input.url = url;
    if (auto error = errors.find(file); error != errors.end()) {
      std::string reason = "parsed without error";
      try {
        parse_page(bytes, input);
      } catch (const Error& e) {
        reason = e.what();
      }
      CHECK(reason == error->second);
      ++checked;
      continue;
    }
    fs::path expected_path = expected_dir / (file.substr(0, file.size() - 4) + ".json");
    REQUIRE_MESSAGE(fs::exists(expected_path), "no expectation for ", file);
    JsonDocument expected = parse_json(read_text(expected_path), expected_path.string());
    auto records = parse_page(bytes, input);
    REQUIRE(records.size() == 1);
    JsonDocument actual = normalize_record(records.front());
    for (const auto& spec : trial_fields()) {
      std::string field(spec.name);
      CAPTURE(field);
      CHECK(to_pretty_json(actual[field.c_str()]) == to_pretty_json(expected[field.c_str()]));
    }
    for (const char* extra : {"raw", "parse_warnings", "normalize_warnings"}) {
      CAPTURE(extra);
      CHECK(to_json(actual[extra]) == to_json(expected[extra]));
    }
    CHECK(get_string_or(actual["source"], "format", "") == get_string_or(expected["source"], "format", "?"));
    CHECK(validate_trial_record(actual).empty());
    ++checked;
  }
  CHECK(checked == urls.size());
}
