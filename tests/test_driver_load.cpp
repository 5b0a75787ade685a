// `trialmill load`: the parallel, streaming loader gives the same store as the stage pipeline
// (parse | normalize | store), is idempotent, isolates bad studies and refuses bad command lines.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/load.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/parse/page_parser.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

std::vector<std::string> corpus_api_files() {
  std::vector<std::string> files;
  for (const char* dir : {"ctgov-v2", "ctgov-v2-paged"})
    for (const auto& entry : fs::directory_iterator(corpus_dir() / dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// NCT ID -> how many studies of `files` give a record for it.
std::map<std::string, int> nct_ids_of(const std::vector<std::string>& files) {
  std::map<std::string, int> ids;
  for (const auto& file : files) {
    PageInput input{file, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    parse_page_records(
        read_text(file), input, [&](JsonDocument&& record) { ++ids[*get_string(record, "nct_id")]; },
        [](std::string&&) {});
  }
  return ids;
}

// The files none of whose trials appears in another file (or twice in its own): loading them in
// any order gives one result.
std::vector<std::string> files_with_unique_trials(const std::vector<std::string>& files) {
  auto counts = nct_ids_of(files);
  std::vector<std::string> unique;
  for (const auto& file : files) {
    auto ids = nct_ids_of({file});
    bool alone = !ids.empty() && std::all_of(ids.begin(), ids.end(), [&](const auto& id) {
      return counts[id.first] == 1;
    });
    if (alone) unique.push_back(file);
  }
  return unique;
}

int count_trials(const fs::path& db_path) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM trials").getInt();
}

// nct_id -> record_json of one table.
std::map<std::string, std::string> records_of(const fs::path& db_path, const std::string& table) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT nct_id, record_json FROM " + table);
  std::map<std::string, std::string> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
  return out;
}

std::vector<std::string> load_args(const fs::path& db, const std::vector<std::string>& files,
                                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"load", "--db", db.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), files.begin(), files.end());
  return args;
}

}  // namespace

TEST_CASE("driver: --help lists the subcommands; no or an unknown subcommand is a usage error") {
  auto help = run_tool("trialmill", {"--help"});
  CHECK(help.exit_code == 0);
  for (const auto& command : subcommands()) CHECK(help.out.find("  " + command.text.name) != std::string::npos);
  CHECK(run_tool("trialmill", {}).exit_code == 2);
  auto unknown = run_tool("trialmill", {"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("frobnicate") != std::string::npos);
  CHECK(run_tool("trialmill", {"load", "--help"}).exit_code == 0);
}

TEST_CASE("load: bad command lines exit 2 before touching anything") {
  TempDir dir;
  auto page = (dir / "page.json").string();
  write_text(page, "{\"studies\":[]}");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"load"},
           {"load", page},
           {"load", "--db", (dir / "t.db").string()},
           {"load", "--db", (dir / "t.db").string(), "--threads", "0", page},
           {"load", "--db", (dir / "t.db").string(), "--batch", "x", page},
           {"load", "--db", (dir / "t.db").string(), "--bogus", page},
       }) {
    CAPTURE(args.size());
    CHECK(run_tool("trialmill", args).exit_code == 2);
  }
  CHECK(!fs::exists(dir / "t.db"));
  CHECK_THROWS_AS(parse_options(declare_load_options, {"--db", "x.db"}), UsageError);
  auto options = parse_options(declare_load_options, {"--db", "x.db", "-j", "3", "--batch", "7", "a", "b"});
  CHECK(options.threads == 3);
  CHECK(options.batch == 7);
  CHECK(options.files == std::vector<std::string>{"a", "b"});
}

TEST_CASE("load: the corpus's API v2 studies and pages give one trial per distinct NCT ID") {
  if (!have_corpus()) return;
  auto files = corpus_api_files();
  REQUIRE(!files.empty());
  TempDir dir;
  auto result = run_tool("trialmill", load_args(dir / "t.db", files));
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  CHECK(result.err.find("loaded ") != std::string::npos);
  CHECK(count_trials(dir / "t.db") == static_cast<int>(nct_ids_of(files).size()));
}

TEST_CASE("load: each stored record is the one parse | normalize | store gives, on 1 or 2 threads") {
  if (!have_corpus()) return;
  auto files = files_with_unique_trials(corpus_api_files());
  REQUIRE(files.size() >= 5);
  TempDir dir;
  auto parsed = run_tool("trialmill-parse", files);
  REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, parsed.out);
  REQUIRE_MESSAGE(normalized.exit_code == 0, normalized.err);
  auto stored = run_tool("trialmill-store", {"--db", (dir / "stages.db").string()}, normalized.out);
  REQUIRE_MESSAGE(stored.exit_code == 0, stored.err);

  for (const char* threads : {"1", "2"}) {
    CAPTURE(threads);
    auto db = dir / (std::string("load") + threads + ".db");
    auto loaded = run_tool("trialmill", load_args(db, files, {"--threads", threads, "--batch", "3"}));
    REQUIRE_MESSAGE(loaded.exit_code == 0, loaded.err);
    for (const char* table : {"trials", "sources"}) {
      auto expected = records_of(dir / "stages.db", table);
      auto actual = records_of(db, table);
      CHECK(actual.size() == expected.size());
      for (const auto& [nct_id, json] : expected) {
        CAPTURE(nct_id);
        CHECK(actual[nct_id] == json);
      }
    }
  }
}

TEST_CASE("load: a second load of the same files reports every study unchanged and changes nothing") {
  if (!have_corpus()) return;
  auto files = files_with_unique_trials(corpus_api_files());
  size_t studies = 0;
  for (const auto& [id, n] : nct_ids_of(files)) studies += static_cast<size_t>(n);
  TempDir dir;
  auto first = run_tool("trialmill", load_args(dir / "t.db", files));
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  std::string before = dump_database(dir / "t.db");
  auto second = run_tool("trialmill", load_args(dir / "t.db", files));
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  CHECK_MESSAGE(second.err.find(str_cat("loaded ", studies, " studies: 0 new, 0 changed, ", studies,
                                        " unchanged, 0 failed")) != std::string::npos,
                second.err);
  CHECK(dump_database(dir / "t.db") == before);
}

TEST_CASE("load: a bad study or a bad file fails alone; the rest is stored and the exit is 1") {
  if (!have_corpus()) return;
  std::string good1 = read_text(corpus_dir() / "ctgov-v2" / "aact__NCT03418623.json");
  std::string good2 = read_text(corpus_dir() / "ctgov-v2" / "aact__NCT03475563.json");
  TempDir dir;
  auto page = (dir / "page.json").string();
  write_text(page, "{\"studies\":[" + good1 + ",{\"protocolSection\":{\"identificationModule\":" +
                       "{\"nctId\":\"not-an-id\"}}}," + good2 + "],\"nextPageToken\":\"x\"}");
  auto broken = (dir / "broken.json").string();
  write_text(broken, "{\"studies\":[{\"protocolSection\":");
  auto result = run_tool("trialmill", load_args(dir / "t.db", {page, broken}));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("not-an-id") != std::string::npos);
  CHECK(result.err.find("broken.json") != std::string::npos);
  CHECK(result.err.find("2 new, 0 changed, 0 unchanged, 2 failed") != std::string::npos);
  CHECK(count_trials(dir / "t.db") == 2);

  // A database that cannot be opened is a usage error, as for trialmill-store.
  write_text(dir / "not.db", "this is not a database, just text that is long enough to be read");
  CHECK(run_tool("trialmill", load_args(dir / "not.db", {page})).exit_code == 2);
}

TEST_CASE("load: '-' reads pages from stdin, one per line, among FILEs") {
  if (!have_corpus()) return;
  auto compact = [](const std::string& text) { return to_json(parse_json(text, "test page")); };
  std::string study1 = compact(read_text(corpus_dir() / "ctgov-v2" / "aact__NCT03418623.json"));
  std::string study2 = compact(read_text(corpus_dir() / "ctgov-v2" / "aact__NCT03475563.json"));
  auto file = (corpus_dir() / "ctgov-v2" / "aact__NCT04207047.json").string();
  TempDir dir;
  std::string input = "{\"studies\":[" + study1 + "]}\n\n" + study2 + "\n";
  auto result = run_tool("trialmill", load_args(dir / "t.db", {file, "-"}), input);
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  CHECK(count_trials(dir / "t.db") == 3);
}

TEST_CASE("load_pages: pages from memory, in bounded queues, give every study once") {
  if (!have_corpus()) return;
  std::string study = read_text(corpus_dir() / "ctgov-v2" / "aact__NCT03418623.json");
  TempDir dir;
  // 40 one-study pages through 2 workers: more pages than the queues hold.
  auto pages = std::make_shared<std::vector<std::string>>();
  for (int i = 0; i < 40; ++i) {
    std::string copy = study;
    auto at = copy.find("NCT03418623");
    REQUIRE(at != std::string::npos);
    copy.replace(at, 11, str_cat("NCT9", 1000000 + i));
    pages->push_back(copy);
  }
  LoadOptions options;
  options.db = (dir / "t.db").string();
  options.threads = 2;
  options.batch = 7;
  PageSource source = [pages, next = size_t{0}](LoadPage& page) mutable {
    if (next == pages->size()) return false;
    page.name = str_cat("page ", next);
    page.bytes = (*pages)[next++];
    return true;
  };
  LoadResult result = load_pages(options, source);
  CHECK(result.studies == 40);
  CHECK(result.inserted == 40);
  CHECK(result.failed == 0);
  CHECK(count_trials(dir / "t.db") == 40);
}
