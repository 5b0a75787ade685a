// The in-process pipeline (driver/record_pipeline.hpp), the one manifest-line reader, and the
// store's read API the driver uses instead of SQL of its own.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/store_sink.hpp"
#include "trialmill/json.hpp"
#include "trialmill/parse/manifest_pages.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/stored_records.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

class CollectingSink : public RecordSink {
 public:
  void begin() override { ++begun; }
  void record(JsonDocument&& record, const PageInput&) override {
    lines.push_back(to_json(record));
  }
  void finish() override { ++finished; }
  std::vector<std::string> lines;
  int begun = 0;
  int finished = 0;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE(
    "record pipeline: the same records as trialmill-parse | trialmill-normalize, page by page") {
  std::vector<fs::path> pages;
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "pages"))
    pages.push_back(entry.path());
  std::sort(pages.begin(), pages.end());
  REQUIRE(pages.size() >= 5);
  for (const auto& page : pages) {
    CAPTURE(page);
    auto parsed = run_tool("trialmill-parse", {page.string()});
    REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
    auto normalized = run_tool("trialmill-normalize", {"--quiet"}, parsed.out);
    REQUIRE(normalized.exit_code == 0);

    CollectingSink sink;
    RecordPipeline pipeline(sink);
    pipeline.begin();
    PageOutcome outcome = pipeline.page(
        PageInput{page.string(), std::nullopt, std::nullopt, std::nullopt, std::nullopt},
        page.string());
    pipeline.finish();
    CHECK(outcome.failed == 0);
    CHECK(outcome.records == sink.lines.size());
    CHECK(sink.lines == split_lines(normalized.out));
    CHECK(sink.begun == 1);
    CHECK(sink.finished == 1);
    CHECK(pipeline.pages().fetched == 1);
    CHECK(pipeline.pages().parsed == 1);
  }
}

TEST_CASE(
    "record pipeline: a missing page and a non-record page are counted failed, nothing emitted") {
  TempDir dir;
  write_text(dir / "not-a-trial.html", "<html><body><p>Nothing to see here.</p></body></html>");
  CollectingSink sink;
  RecordPipeline pipeline(sink);
  pipeline.begin();
  PageOutcome missing = pipeline.page(PageInput{"missing"}, (dir / "missing.html").string());
  PageOutcome junk = pipeline.page(PageInput{"junk"}, (dir / "not-a-trial.html").string());
  pipeline.finish();
  CHECK(missing.page_failed);
  CHECK(junk.page_failed);
  CHECK(junk.records == 0);
  CHECK(sink.lines.empty());
  CHECK(pipeline.pages().fetched == 2);
  CHECK(pipeline.pages().failed == 2);
  CHECK(pipeline.pages().parsed == 0);
}

TEST_CASE("record pipeline: only_trials keeps other trials' records from the sink") {
  fs::path page = fixtures_dir() / "pages";
  fs::path first;
  for (const auto& entry : fs::directory_iterator(page)) {
    first = entry.path();
    break;
  }
  CollectingSink all;
  RecordPipeline unfiltered(all);
  unfiltered.page(PageInput{first.string()}, first.string());
  REQUIRE(!all.lines.empty());

  CollectingSink none;
  RecordPipeline filtered(none);
  filtered.only_trials({"NCT99999999"});
  PageOutcome outcome = filtered.page(PageInput{first.string()}, first.string());
  CHECK(outcome.records == all.lines.size());  // parsed and normalized all the same
  CHECK(none.lines.empty());
}

TEST_CASE("record pipeline: a store sink stores in batches and commits the rest at finish") {
  TempDir dir;
  std::vector<fs::path> pages;
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "pages"))
    pages.push_back(entry.path());
  TrialStore store((dir / "t.db").string());
  StoreSink sink(store, 2, 0);
  RecordPipeline pipeline(sink);
  pipeline.begin();
  for (const auto& page : pages) pipeline.page(PageInput{page.string()}, page.string());
  pipeline.finish();
  CHECK(store.pending() == 0);
  CHECK(sink.records() == pipeline.records());
  CHECK(sink.stats().stored() == pipeline.records());
  CHECK(store.database().execAndGet("SELECT count(*) FROM sources").getInt64() ==
        static_cast<int64_t>(pipeline.records()));
}

TEST_CASE("manifest pages: one reader for trialmill-parse and trialmill run") {
  std::istringstream in(
      "{\"path\":\"/a/1.html\",\"url\":\"https://x/1\",\"format\":\"veeva\",\"fetched_at\":"
      "\"2026-01-01T00:00:00Z\",\"nct_id\":\"NCT01234567\"}\n"
      "\n"
      "{\"url\":\"https://x/2\"}\n"
      "not json\n"
      "[1]\n"
      "{\"path\":\"/a/3.html\"}\n");
  std::vector<ManifestPage> pages;
  std::vector<std::string> errors;
  read_manifest_pages(
      in, "stdin", std::nullopt, [&](const ManifestPage& page) { pages.push_back(page); },
      [&](const std::string& where, const std::string& message) {
        errors.push_back(where + ": " + message);
      });
  REQUIRE(pages.size() == 2);
  CHECK(pages[0].path == "/a/1.html");
  CHECK(pages[0].input.name == "https://x/1");
  CHECK(pages[0].input.url == "https://x/1");
  CHECK(pages[0].input.format == "veeva");
  CHECK(pages[0].input.fetched_at == "2026-01-01T00:00:00Z");
  CHECK(pages[0].input.nct_id == "NCT01234567");
  CHECK(pages[1].input.name == "/a/3.html");
  CHECK(!pages[1].input.url);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].starts_with("stdin:3: "));
  CHECK(errors[0].find("\"path\"") != std::string::npos);
  CHECK(errors[1].starts_with("stdin:4: "));
  CHECK(errors[2].starts_with("stdin:5: "));

  std::istringstream again("{\"path\":\"p\",\"format\":\"veeva\"}\n");
  read_manifest_pages(
      again, "m", std::string("ctgov-html"),
      [&](const ManifestPage& page) { CHECK(page.input.format == "ctgov-html"); },
      [&](const std::string&, const std::string&) { FAIL("no error expected"); });
}

TEST_CASE("stored records: what the driver asks the store, without SQL of its own") {
  TempDir dir;
  TrialStore store((dir / "t.db").string());
  SQLite::Database& db = store.database();
  const TrialsMark empty = mark_trials(db);
  CHECK(empty.trials == 0);
  CHECK(empty.last_change_id == 0);

  JsonDocument api = make_record("NCT01234567");
  set(api, "overall_status", R"("RECRUITING")");
  JsonDocument veeva = make_record("NCT01234567", "veeva", "https://ctv.veeva.com/study/");
  JsonDocument other = make_record("NCT07654321");
  store.add(api, "t:1");
  store.add(veeva, "t:2");
  store.add(other, "t:3");
  store.commit();

  TrialsSinceMark since = trials_since(db, empty);
  CHECK(since.added == 2);
  CHECK(since.changed == 0);

  auto pages = stored_pages_of(db, {"NCT01234567"});
  REQUIRE(pages.size() == 2);
  CHECK(pages[0].format == "ctgov-v2-json");
  CHECK(pages[0].url == "https://clinicaltrials.gov/api/v2/studies/NCT01234567");
  CHECK(pages[1].format == "veeva");
  CHECK(pages[1].nct_id == "NCT01234567");

  auto archived = archived_pages(db, {"veeva"}, {});
  REQUIRE(archived.size() == 1);
  CHECK(archived[0].sha256 == "0123abcd");
  CHECK(archived[0].fetched_at == "2026-01-01T00:00:00Z");
  CHECK(archived_pages(db, {}, {"NCT07654321"}).size() == 1);
  CHECK(archived_pages(db, {}, {}).size() == 3);

  StoredSourceLookup lookup(db);
  auto found = lookup.find("NCT01234567", "ctgov-v2-json",
                           "https://clinicaltrials.gov/api/v2/studies/NCT01234567");
  REQUIRE(found);
  CHECK(get_string_or(*found, "overall_status", "") == "RECRUITING");
  CHECK(!lookup.find("NCT01234567", "ctgov-v2-json", "https://elsewhere/"));

  auto trial = stored_trial_record(db, "NCT01234567");
  REQUIRE(trial);
  CHECK(get_string_or(*trial, "nct_id", "") == "NCT01234567");
  CHECK(!stored_trial_record(db, "NCT00000000"));

  const TrialsMark before = mark_trials(db);
  set(api, "overall_status", R"("COMPLETED")");
  set_source(api, "fetched_at", R"("2026-03-01T00:00:00Z")");
  store.add(api, "t:4");
  store.commit();
  since = trials_since(db, before);
  CHECK(since.added == 0);
  CHECK(since.changed == 1);
  auto changes = trial_changes_since(db, "NCT01234567", before.last_change_id);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].field == "overall_status");
  REQUIRE(changes[0].old_value);
  CHECK(to_json(*changes[0].old_value) == "\"RECRUITING\"");
  CHECK(to_json(*changes[0].new_value) == "\"COMPLETED\"");
  CHECK(changes[0].source_format == "ctgov-v2-json");
  CHECK(last_change_id(db) > before.last_change_id);
  CHECK(trial_changes_since(db, "NCT01234567", last_change_id(db)).empty());
}
