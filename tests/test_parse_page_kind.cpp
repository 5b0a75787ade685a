// The page-kind gate and the title's shape: no file of the shared corpus gives a record whose
// title is site chrome, markup or prose, no file of a format no parser reads gives a generic
// record, and every refused file names its reason.
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

std::map<std::string, std::string> urls_of(const fs::path& dir) {
  std::map<std::string, std::string> rows;
  std::ifstream in(dir / "URLS.tsv");
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) rows[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return rows;
}

// Why a title is junk, judged here independently of the parser's own shape test: what a reader
// would never take for a trial's title.
std::string junk_title(std::string_view title) {
  std::string_view t = trim(title);
  if (t.find('<') != std::string_view::npos && t.find('>') != std::string_view::npos)
    return "markup";
  for (std::string_view chrome :
       {"cookie", "skip to", "browse ", "unattended", "please note", "javascript",
        "official website", "history of this study", "current version of this study", "menu",
        "sign in", "log in", "search results"})
    if (icontains(t, chrome)) return str_cat("site chrome (", chrome, ")");
  for (std::string_view lead : {"• ", "← ", "↑ ", "- ", "* "})
    if (t.substr(0, lead.size()) == lead) return "a list item or link";
  for (std::string_view prose :
       {"This ", "These ", "We ", "You ", "Healthy volunteers are", "The purpose"})
    if (t.substr(0, prose.size()) == prose) return "a sentence of prose";
  // A second sentence that opens like running text ("… trial. This study will …"); a title's
  // own second sentence ("… Inflammation. A Randomized Phase II Study.") is allowed.
  for (size_t at = t.find(". "); at != std::string_view::npos; at = t.find(". ", at + 1))
    for (std::string_view opener :
         {"This ", "The ", "We ", "You ", "It ", "Please ", "Patients ", "Participants "})
      if (t.substr(at + 2, opener.size()) == opener) return "two sentences of prose";
  for (std::string_view bar_end : {" Help", " Login", " Menu", " FAQ", " Search"})
    if (t.size() > bar_end.size() && t.substr(t.size() - bar_end.size()) == bar_end)
      return "a site's header bar";
  size_t wide = 0, spaces = 0;  // CJK text has no spaces between words: these separate menu entries
  for (char c : t) {
    wide += static_cast<unsigned char>(c) >= 0xE3 && static_cast<unsigned char>(c) <= 0xE9;
    spaces += c == ' ';
  }
  if (wide >= 4 && spaces >= 3) return "menu entries run together";
  if (t.back() == ':' || (t.size() >= 3 && t.substr(t.size() - 3) == "\xEF\xBC\x9A"))
    return "a label";
  if (t.size() < 10) return "too short";
  return {};
}

}  // namespace

TEST_CASE("corpus: no record carries junk as its title, every refused file names its reason") {
  if (!have_corpus()) {
    MESSAGE("shared corpus not present; skipped");
    return;
  }
  size_t files = 0, records = 0, refused = 0;
  std::map<fs::path, std::map<std::string, std::string>> urls;
  for (const auto& entry : fs::recursive_directory_iterator(corpus_dir())) {
    if (!entry.is_regular_file()) continue;
    const fs::path& path = entry.path();
    std::string name = path.filename().string();
    if (name == "URLS.tsv" || name == "README.md") continue;
    ++files;
    std::string rel = fs::relative(path, corpus_dir()).string();
    CAPTURE(rel);
    if (!urls.count(path.parent_path())) urls[path.parent_path()] = urls_of(path.parent_path());
    PageInput input;
    input.name = rel;
    if (auto u = urls[path.parent_path()].find(name); u != urls[path.parent_path()].end())
      input.url = u->second;
    std::string bytes = read_text(path);
    std::vector<std::string> errors;
    std::vector<JsonDocument> out;
    try {
      parse_page_records(
          bytes, input, [&](JsonDocument&& r) { out.push_back(std::move(r)); },
          [&](std::string&& message) { errors.push_back(std::move(message)); });
    } catch (const Error& e) {
      errors.emplace_back(e.what());
    }
    for (const auto& message : errors)
      CHECK_MESSAGE(trim(message).size() >= 10, "refused without a reason");
    if (out.empty()) {
      CHECK(!errors.empty());
      ++refused;
    }
    for (auto& record : out) {
      ++records;
      std::string format = get_string_or(record["source"], "format", "");
      // Formats no parser reads yet are refused; once one is read, by its own parser only.
      if (rel.rfind("ctgov-xml/", 0) == 0 || rel.find("archive_version__") != std::string::npos)
        CHECK_MESSAGE(format != "aggregator-generic", "read as a generic page: ", format);
      for (const char* field : {"brief_title", "official_title"}) {
        auto title = get_string(record, field);
        if (!title) continue;
        CAPTURE(field);
        CAPTURE(*title);
        CHECK(junk_title(*title) == "");
      }
    }
  }
  MESSAGE(files, " files: ", records, " records, ", refused, " refused");
  CHECK(files > 300);
}

TEST_CASE("page kind: error pages, history lists, listings, cookie walls and XML give no record") {
  auto refusal = [](const std::string& page, const char* url = nullptr) {
    PageInput input;
    input.name = "page";
    if (url) input.url = url;
    try {
      parse_page(page, input);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("parsed");
  };
  CHECK(refusal("<html><body><h1>Page Not Found</h1><p>The page you requested does not exist.</p>"
                "<p>NCT01234567</p></body></html>")
            .find("error page") != std::string::npos);
  CHECK(
      refusal(
          "History of NCT00000122\nBrief title:\nSome Study\n2005_06_23\nStudy\n2005_06_30\nStudy\n"
          "2006_06_01\nStudy\n")
          .find("history list") != std::string::npos);
  CHECK(refusal("Search results\n12 studies found\nNCT01234567 A Study of A\nRecruiting\n"
                "NCT01234568 A Study of B\nCompleted\nNCT01234569 A Study of C\n")
            .find("listing") != std::string::npos);
  CHECK(refusal("We use cookies to improve your experience.\nAccept all cookies\nCookie "
                "settings\nNCT01234567\n")
            .find("cookie wall") != std::string::npos);
  // XML that no parser reads (a WHO ICTRP export; <clinical_study> has its own, ctgov-xml).
  CHECK(refusal("<?xml version=\"1.0\"?>\n<trials>\n<trial><main><trial_id>NCT00001177</trial_id>"
                "<public_title>A Study</public_title></main></trial>\n</trials>\n")
            .find("<trials>") != std::string::npos);
  // A trial page that names related trials below its own is one trial's page, with its own ID.
  std::string page =
      "A Study of Drug X in Adults With Asthma\nNCT ID: NCT01234567\nStatus: Recruiting\nPhase: "
      "Phase 2\n"
      "Sponsor: Example University\nCondition: Asthma\nSimilar trials\nNCT07654321 Another study\n"
      "NCT07654322 Another study\nNCT07654323 Another study\nNCT07654324 Another study\n"
      "NCT07654325 Another study\n";
  PageInput input;
  input.name = "page";
  auto records = parse_page(page, input);
  REQUIRE(records.size() == 1);
  CHECK(get_string_or(records[0], "nct_id", "") == "NCT01234567");
  CHECK(get_string_or(records[0], "brief_title", "") == "A Study of Drug X in Adults With Asthma");
  CHECK(records[0]["related_nct_ids"].Size() == 5);
}

TEST_CASE("generic reader: a value without its field's shape is dropped with a warning") {
  std::string page =
      "Effect of Drug Y on Blood Pressure in Older Adults\nNCT ID: NCT01234567\nStatus\n"
      "Find out what the status of a trial means\nPhase\nIII\nEligibility\n"
      "18 Years and older, Female\nSponsor: Example University\nStart Date: Learn more about "
      "dates\n";
  PageInput input;
  input.name = "page";
  auto records = parse_page(page, input);
  REQUIRE(records.size() == 1);
  auto& r = records[0];
  CHECK(r["overall_status"].IsNull());
  CHECK(get_string_or(r, "phases", "") == "Phase III");
  CHECK(r["start_date"].IsNull());
  std::string warnings = to_json(r["parse_warnings"]);
  CHECK(warnings.find("overall_status: dropped") != std::string::npos);
  CHECK(warnings.find("start_date: dropped") != std::string::npos);
}
