// `trialmill run` and `trialmill export`: the stage pipeline in one process, and the export as a
// driver subcommand.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "db_helpers.hpp"
#include "support.hpp"

using namespace trialmill::test;

TEST_CASE("trialmill run: pages at hand, or trialmill-fetch's manifest lines, parsed, normalized and stored") {
  TempDir dir;
  std::vector<std::string> args = {"run", "--db", (dir / "run.db").string()};
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "pages")) args.push_back(entry.path().string());
  args.push_back((fixtures_dir() / "registry" / "robots.txt").string());
  auto result = run_tool("trialmill", args);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("robots.txt: ") != std::string::npos);
  CHECK(result.err.find("trialmill run: 6 pages (1 failed), 5 records: 5 new, 0 changed, 0 unchanged, 0 failed") !=
        std::string::npos);

  // The same pages through the three stage executables give the same database.
  std::string manifest;
  for (size_t i = 3; i + 1 < args.size(); ++i) manifest += "{\"path\": \"" + args[i] + "\"}\n";
  auto piped = run_tool("trialmill", {"run", "--db", (dir / "stdin.db").string(), "--quiet"}, manifest);
  CHECK_MESSAGE(piped.exit_code == 0, piped.err);
  auto parsed = run_tool("trialmill-parse", std::vector<std::string>(args.begin() + 3, args.end() - 1));
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, parsed.out);
  auto stored = run_tool("trialmill-store", {"--db", (dir / "stages.db").string()}, normalized.out);
  REQUIRE(stored.exit_code == 0);
  SQLite::Database a((dir / "run.db").string()), b((dir / "stages.db").string());
  const char* sql = "SELECT nct_id, content_hash FROM trials ORDER BY nct_id";
  CHECK(rows(a, sql) == rows(b, sql));
  CHECK(rows(a, sql).size() == 5);

  auto export_driver = run_tool("trialmill", {"export", "--db", (dir / "run.db").string(), "--format", "csv"});
  auto export_tool = run_tool("trialmill-export", {"--db", (dir / "run.db").string(), "--format", "csv"});
  CHECK(export_driver.exit_code == 0);
  CHECK(export_driver.out == export_tool.out);
  CHECK(export_driver.out.find("NCT04433169,") != std::string::npos);
  CHECK(run_tool("trialmill", {"export", "--db", (dir / "none.db").string()}).exit_code == 2);
  CHECK(run_tool("trialmill", {"run"}).exit_code == 2);
}
