// The offline registry end to end over loopback HTTP: fetch -> parse -> normalize -> store gives
// every trial the registry holds, and a fetch killed mid-run then run again finishes the work
// without duplicates.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <set>

#include "support.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// The registry server on a free port, for the life of the object.
struct Registry {
  BackgroundTool server{"trialmill-registry-server", {(fixtures_dir() / "registry").string()}};
  std::string base = server.read_line().value_or("");
};

std::string run_pipeline(const std::string& manifest, const fs::path& db) {
  auto parsed = run_tool("trialmill-parse", {}, manifest);
  REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, parsed.out);
  REQUIRE_MESSAGE(normalized.exit_code == 0, normalized.err);
  auto stored = run_tool("trialmill-store", {"--db", db.string()}, normalized.out);
  REQUIRE_MESSAGE(stored.exit_code == 0, stored.err);
  return stored.err;
}

std::vector<std::string> fetch_args(const Registry& registry, const fs::path& archive) {
  return {"--config", (source_dir() / "config" / "offline.json").string(), "--base", registry.base, "--archive",
          archive.string(), "--quiet"};
}

}  // namespace

TEST_CASE("offline registry: fetch, parse, normalize and store give every trial, merged across sources") {
  Registry registry;
  REQUIRE(registry.base.rfind("http://127.0.0.1:", 0) == 0);
  TempDir dir;
  auto fetched = run_tool("trialmill-fetch", fetch_args(registry, dir / "archive"));
  REQUIRE_MESSAGE(fetched.exit_code == 0, fetched.err);
  CHECK(split_trimmed(fetched.out, "\n").size() == 8);  // 2 API pages + 6 detail pages
  run_pipeline(fetched.out, dir / "trials.db");

  SQLite::Database db((dir / "trials.db").string(), SQLite::OPEN_READONLY);
  std::set<std::string> ids;
  SQLite::Statement q(db, "SELECT nct_id FROM trials");
  while (q.executeStep()) ids.insert(q.getColumn(0).getString());
  CHECK(ids == std::set<std::string>{"NCT03792542", "NCT04433169", "NCT05549466", "NCT06158412", "NCT06935188"});
  // The API record and the page of the same trial are two sources of one canonical trial.
  CHECK(db.execAndGet("SELECT count(*) FROM sources WHERE nct_id = 'NCT04433169'").getInt() == 3);
  CHECK(db.execAndGet("SELECT count(*) FROM sources").getInt() == 9);
}

TEST_CASE("offline registry: a fetch killed mid-run and run again finishes without duplicates") {
  Registry registry;
  TempDir dir;
  {
    BackgroundTool fetch("trialmill-fetch", fetch_args(registry, dir / "archive"));
    REQUIRE(fetch.read_line().has_value());  // one page is through
    fetch.kill_now();
  }
  auto again = run_tool("trialmill-fetch", fetch_args(registry, dir / "archive"));
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  auto lines = split_trimmed(again.out, "\n");
  CHECK(lines.size() == 8);
  std::set<std::string> urls, blobs;
  for (const auto& line : lines) {
    JsonDocument m = parse_json(line, "manifest");
    urls.insert(get_string_or(m, "url", ""));
    std::string path = get_string_or(m, "path", "");
    CHECK(fs::exists(path));
    blobs.insert(path);
  }
  CHECK(urls.size() == 8);  // every page once
  // The kill left no torn blob: every archived file is exactly the content its name hashes.
  size_t archived = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "archive")) {
    std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.size() != 64) continue;
    CAPTURE(name);
    CHECK(sha256_hex(read_text(e.path())) == name);
    ++archived;
  }
  CHECK(archived >= blobs.size());
  run_pipeline(again.out, dir / "trials.db");
  SQLite::Database db((dir / "trials.db").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT count(*) FROM trials").getInt() == 5);
  CHECK(db.execAndGet("SELECT count(*) FROM sources").getInt() == 9);
}
