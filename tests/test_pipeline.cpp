// End to end through the executables: seed pages -> parse -> normalize -> store, compared with the
// hand-checked expected records in fixtures/expected/.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

std::vector<fs::path> seed_pages() {
  std::vector<fs::path> pages;
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "pages")) pages.push_back(entry.path());
  std::sort(pages.begin(), pages.end());
  return pages;
}

std::string parse_and_normalize(const std::vector<std::string>& pages, int* parse_exit = nullptr) {
  auto parsed = run_tool("trialmill-parse", pages);
  if (parse_exit) *parse_exit = parsed.exit_code;
  else REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, parsed.out);
  REQUIRE_MESSAGE(normalized.exit_code == 0, normalized.err);
  return normalized.out;
}

std::string record_json_of(const fs::path& db_path, const std::string& nct_id) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT record_json FROM trials WHERE nct_id = ?");
  q.bind(1, nct_id);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

int count_trials(const fs::path& db_path) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM trials").getInt();
}

std::vector<std::string> as_strings(const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.string());
  return out;
}

}  // namespace

TEST_CASE("pipeline: every seed page gives its expected trial record, field by field") {
  auto pages = seed_pages();
  REQUIRE(pages.size() >= 5);
  for (const auto& page : pages) {
    fs::path expected_path = fixtures_dir() / "expected" / (page.stem().string() + ".json");
    CAPTURE(page.filename().string());
    REQUIRE_MESSAGE(fs::exists(expected_path), "no expected record for ", page.filename().string());
    JsonDocument expected = parse_json(read_text(expected_path), expected_path.string());
    std::string out = parse_and_normalize({page.string()});
    JsonDocument actual = parse_json(out, "normalize output");
    for (const auto& spec : trial_fields()) {
      std::string field(spec.name);
      CAPTURE(field);
      const JsonValue* want = find_member(expected, field);
      const JsonValue* got = find_member(actual, field);
      REQUIRE_MESSAGE(want != nullptr, "expected record lacks ", field);
      REQUIRE_MESSAGE(got != nullptr, "record lacks ", field);
      CHECK(to_pretty_json(*got) == to_pretty_json(*want));
    }
    CHECK(get_string_or(actual["source"], "format", "") == get_string_or(expected["source"], "format", "?"));
    CHECK(to_json(actual["normalize_warnings"]) == to_json(expected["normalize_warnings"]));
    CHECK(to_pretty_json(actual["eligibility_thresholds"]) == to_pretty_json(expected["eligibility_thresholds"]));
    CHECK(validate_trial_record(actual).empty());
  }
}

TEST_CASE("pipeline: the seeds stored twice leave the database unchanged") {
  TempDir dir;
  fs::path db = dir / "trials.db";
  std::string records = parse_and_normalize(as_strings(seed_pages()));
  auto first = run_tool("trialmill-store", {"--db", db.string()}, records);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(count_trials(db) == static_cast<int>(seed_pages().size()));
  std::string before = dump_database(db);
  auto second = run_tool("trialmill-store", {"--db", db.string()}, records);
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  CHECK(dump_database(db) == before);
}

TEST_CASE("pipeline: an empty or truncated page for a stored trial removes nothing") {
  TempDir dir;
  fs::path db = dir / "trials.db";
  fs::path page = fixtures_dir() / "pages" / "veeva_NCT04433169.txt";
  auto stored = run_tool("trialmill-store", {"--db", db.string()}, parse_and_normalize({page.string()}));
  REQUIRE_MESSAGE(stored.exit_code == 0, stored.err);
  std::string before = record_json_of(db, "NCT04433169");
  REQUIRE_FALSE(before.empty());

  std::string text = read_text(page);
  write_text(dir / "truncated.txt", text.substr(0, 1500));
  write_text(dir / "empty.txt", "");
  int parse_exit = 0;
  std::string records = parse_and_normalize({(dir / "truncated.txt").string(), (dir / "empty.txt").string()}, &parse_exit);
  CHECK(parse_exit == 1);  // the empty page failed, the truncated one parsed
  auto again = run_tool("trialmill-store", {"--db", db.string()}, records);
  CHECK(again.exit_code == 0);
  JsonDocument after = parse_json(record_json_of(db, "NCT04433169"), "stored");
  JsonDocument original = parse_json(before, "stored");
  for (const char* field : {"arms", "masking", "exclusion_criteria", "central_contacts", "allocation", "inclusion_criteria"}) {
    CAPTURE(field);
    CHECK(to_json(after[field]) == to_json(original[field]));
  }
}

TEST_CASE("pipeline: bad files are each reported and the others still processed") {
  TempDir dir;
  write_text(dir / "noid.txt", read_text(fixtures_dir() / "pages" / "veeva_NCT05549466.txt").substr(0, 60) +
                                   "\nStatus and phase\nEnrolling\n");
  write_text(dir / "empty.txt", "");
  write_text(dir / "binary.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  std::vector<std::string> args = {(dir / "noid.txt").string(), (fixtures_dir() / "pages" / "veeva_NCT04433169.txt").string(),
                                   (dir / "empty.txt").string(), (dir / "binary.bin").string(),
                                   (fixtures_dir() / "pages" / "ctgov_NCT03792542.txt").string()};
  auto result = run_tool("trialmill-parse", args);
  CHECK(result.exit_code == 1);
  auto err_lines = split_trimmed(result.err, "\n");
  REQUIRE(err_lines.size() == 3);
  CHECK(err_lines[0].find("noid.txt: no NCT ID found") != std::string::npos);
  CHECK(err_lines[1].find("empty.txt: empty page") != std::string::npos);
  CHECK(err_lines[2].find("binary.bin: binary content") != std::string::npos);
  auto out_lines = split_trimmed(result.out, "\n");
  REQUIRE(out_lines.size() == 2);
  CHECK(out_lines[0].find("\"NCT04433169\"") != std::string::npos);
  CHECK(out_lines[1].find("\"NCT03792542\"") != std::string::npos);
}

TEST_CASE("pipeline: every executable answers --help and rejects unknown options") {
  for (const char* tool : {"trialmill-parse", "trialmill-normalize", "trialmill-store"}) {
    CAPTURE(tool);
    auto help = run_tool(tool, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage:") != std::string::npos);
    CHECK(icontains(help.out, "exit status"));
    CHECK(help.err.empty());
    auto bad = run_tool(tool, {"--no-such-option"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--no-such-option") != std::string::npos);
  }
}
