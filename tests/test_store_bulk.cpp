// Schema v4 and bulk loading: child tables keyed by named unique indexes, a bulk load into an
// empty database that builds its indexes once at the end and gives the same database as storing
// row by row, and an interrupted bulk load repaired by the next opening.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/text.hpp"
#include "trial_builder.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// The API v2 files at hand: the offline registry's, and the corpus's when it is there.
std::vector<std::string> api_files() {
  std::vector<std::string> files;
  std::vector<fs::path> dirs = {fixtures_dir() / "registry" / "api" / "v2" / "studies"};
  if (have_corpus()) {
    dirs.push_back(corpus_dir() / "ctgov-v2");
    dirs.push_back(corpus_dir() / "ctgov-v2-paged");
  }
  for (const auto& dir : dirs)
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

CommandResult load(const fs::path& db, const std::vector<std::string>& files,
                   const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"load", "--db", db.string(), "--threads", "1", "--batch", "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), files.begin(), files.end());
  return run_tool("trialmill", args);
}

// dump_database without the meta table (versions and creation time).
std::string dump_without_meta(const fs::path& path) {
  std::string dump = dump_database(path);
  size_t begin = dump.find("## meta\n");
  size_t end = dump.find("## ", begin + 3);
  return begin == std::string::npos ? dump : dump.erase(begin, end - begin);
}

// Every row of every table but meta, with the times of storing masked, for comparing two loads.
std::string dump_without_times(const fs::path& path) {
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE sources SET stored_at = 'T'");
    db.exec("UPDATE trials SET first_seen_at = 'T', updated_at = 'T'");
    db.exec("UPDATE trial_changes SET changed_at = 'T'");
  }
  return dump_without_meta(path);
}

// The schema's objects with their SQL, white space runs as one space.
std::vector<std::string> schema_of(SQLite::Database& db) {
  return rows(db,
              "SELECT type, name, replace(replace(replace(sql, char(10), ' '), '  ', ' '), '  ', ' ') "
              "FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
}

// What every database must pass after a load: SQLite's and FTS5's own checks, no dangling
// reference, no index of the schema missing.
void check_consistent(SQLite::Database& db) {
  CHECK(rows(db, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  CHECK(rows(db, "PRAGMA foreign_key_check").empty());
  CHECK_NOTHROW(db.exec("INSERT INTO trials_fts (trials_fts) VALUES ('integrity-check')"));
  CHECK(missing_indexes(db).empty());
}

}  // namespace

TEST_CASE("bulk load: the same database as storing row by row, every index built") {
  auto files = api_files();
  TempDir dir;
  auto bulk = load(dir / "bulk.db", files);
  REQUIRE_MESSAGE(bulk.exit_code == 0, bulk.err);
  CHECK(bulk.err.find("(bulk load, indexes built in ") != std::string::npos);
  auto rows_one_by_one = load(dir / "rows.db", files, {"--no-bulk"});
  REQUIRE_MESSAGE(rows_one_by_one.exit_code == 0, rows_one_by_one.err);
  CHECK(rows_one_by_one.err.find("bulk load") == std::string::npos);

  SQLite::Database bulk_db((dir / "bulk.db").string(), SQLite::OPEN_READWRITE);
  SQLite::Database rows_db((dir / "rows.db").string(), SQLite::OPEN_READWRITE);
  CHECK(bulk_db.execAndGet("SELECT count(*) FROM trials").getInt() >= 3);
  check_consistent(bulk_db);
  check_consistent(rows_db);
  CHECK(schema_of(bulk_db) == schema_of(rows_db));
  // Search works on what the bulk load indexed.
  CHECK(bulk_db.execAndGet("SELECT count(*) FROM trials_fts WHERE trials_fts MATCH 'NCT04433169'").getInt() == 1);
  CHECK(dump_without_times(dir / "bulk.db") == dump_without_times(dir / "rows.db"));

  // A load into a database that holds trials is no bulk load.
  auto again = load(dir / "bulk.db", {files.front()});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.err.find("bulk load") == std::string::npos);
}

TEST_CASE("bulk load: the same trial twice ends the bulk load there and is merged as usual") {
  TempDir dir;
  auto page = fixtures_dir() / "registry" / "api" / "v2" / "studies" / "page-1.json";
  auto single = fixtures_dir() / "registry" / "api" / "v2" / "studies" / "NCT04433169.json";
  // The single study is also on page 1: loading both gives it twice (as a changed record: the
  // single study's file names the trial, which the page's study record does not need).
  std::vector<std::string> files = {page.string(),
                                    (page.parent_path() / "page-2.json").string(), single.string()};
  auto bulk = load(dir / "bulk.db", files);
  REQUIRE_MESSAGE(bulk.exit_code == 0, bulk.err);
  auto rows_one_by_one = load(dir / "rows.db", files, {"--no-bulk"});
  REQUIRE_MESSAGE(rows_one_by_one.exit_code == 0, rows_one_by_one.err);
  CHECK(bulk.err.find("loaded 4 studies: 3 new, 1 changed, ") != std::string::npos);
  SQLite::Database bulk_db((dir / "bulk.db").string(), SQLite::OPEN_READWRITE);
  check_consistent(bulk_db);
  CHECK(dump_without_times(dir / "bulk.db") == dump_without_times(dir / "rows.db"));
}

TEST_CASE("bulk load: only into a database without trials; interrupted, the next opening builds the indexes") {
  TempDir dir;
  const std::string path = (dir / "t.db").string();
  JsonDocument a = make_record("NCT00000001");
  set(a, "brief_title", R"("Anlotinib for Sarcoma")");
  set(a, "conditions", R"(["Soft Tissue Sarcoma"])");
  set(a, "interventions", R"([{"type": "DRUG", "name": "Anlotinib", "description": null, "other_names": ["AL3818"]}])");
  JsonDocument b = make_record("NCT00000002");
  set(b, "brief_title", R"("Tretinoin")");
  {
    TrialStore store(path);
    REQUIRE(store.begin_bulk_load());
    CHECK(store.bulk_loading());
    CHECK(store.add(a, "t:1") == StoreOutcome::inserted);
    store.commit();
    CHECK(store.add(b, "t:2") == StoreOutcome::inserted);
    // Destroyed without end_bulk_load, as a killed process: the first batch stays, the second
    // is rolled back, and the indexes are missing.
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    CHECK(!missing_indexes(raw).empty());
    CHECK(raw.execAndGet("SELECT count(*) FROM trials").getInt() == 1);
  }
  TrialStore store(path);
  auto& db = store.database();
  check_consistent(db);
  CHECK(db.execAndGet("SELECT nct_id FROM trials_fts WHERE trials_fts MATCH 'interventions:al3818'")
            .getString() == "NCT00000001");
  CHECK_FALSE(store.begin_bulk_load());  // it holds a trial now
  CHECK_FALSE(store.bulk_loading());
  CHECK(store.add(b, "t:2") == StoreOutcome::inserted);
  set(a, "brief_title", R"("Pazopanib for Sarcoma")");
  CHECK(store.add(a, "t:3") == StoreOutcome::updated);
  store.commit();
  check_consistent(db);
  CHECK(db.execAndGet("SELECT count(*) FROM trials_fts WHERE trials_fts MATCH 'anlotinib'").getInt() == 1);
  CHECK(db.execAndGet("SELECT count(*) FROM trials_fts WHERE trials_fts MATCH 'pazopanib'").getInt() == 1);
  CHECK(db.execAndGet("SELECT count(*) FROM trials_fts WHERE trials_fts MATCH 'brief_title:anlotinib'").getInt() == 0);
}

TEST_CASE("store v4: a v3 database migrates with every row kept, its child keys as unique indexes") {
  TempDir dir;
  const std::string current = (dir / "current.db").string();
  const std::string old = (dir / "v3.db").string();
  JsonDocument a = atra_record("NCT04433169");
  JsonDocument b = make_record("NCT00000002", "veeva", "https://ctv.veeva.com/study/");
  set(b, "brief_title", R"("Anlotinib for Sarcoma")");
  set(b, "arms", R"([{"label": "A", "type": "EXPERIMENTAL", "description": null, "intervention_names": ["Anlotinib"]}])");
  {
    TrialStore store(current);
    REQUIRE(store.store_batch({{"t:1", &a}, {"t:2", &b}}).inserted == 2);
  }
  {
    // A database with migrations 1 to 3 only, holding the same rows.
    SQLite::Database v3(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(v3, 3);
    REQUIRE(schema_version(v3) == 3);
    v3.exec("ATTACH DATABASE '" + current + "' AS src");
    for (const auto& table : rows(v3, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND "
                                      "name NOT LIKE 'sqlite_%' AND name NOT LIKE 'trials_fts%' AND name <> 'meta'"))
    {
      // (the v3 table's own columns: later versions add some)
      std::string columns;
      for (const auto& column : rows(v3, "SELECT name FROM pragma_table_info('" + table + "')"))
        columns += (columns.empty() ? "" : ", ") + column;
      v3.exec("INSERT INTO main." + table + " (" + columns + ") SELECT " + columns +
              " FROM src." + table);
    }
    v3.exec("DETACH DATABASE src");
    v3.exec("INSERT INTO trials_fts (trials_fts) VALUES ('rebuild')");
    CHECK(v3.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_trial_arms_1'").getInt() == 1);
  }
  std::string before = dump_without_meta(current);
  // Before its migration the v3 database lacks v5's (empty) trial_versions.
  REQUIRE(dump_without_meta(old) == replace_all(before, "## trial_versions\n", ""));

  TrialStore store(old);
  auto& db = store.database();
  CHECK(schema_version(db) == kSchemaVersion);
  CHECK(dump_without_meta(old) == before);
  check_consistent(db);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name GLOB 'sqlite_autoindex_trial_*'").getInt() == 0);
  SQLite::Database fresh(current, SQLite::OPEN_READONLY);
  CHECK(schema_of(db) == schema_of(fresh));
  // The keys still hold, and foreign keys are enforced again after the rebuild.
  CHECK_THROWS(db.exec("INSERT INTO trial_arms (nct_id, ordinal) VALUES ('NCT00000002', 0)"));
  CHECK_THROWS(db.exec("INSERT INTO trial_arm_interventions VALUES ('NCT00000002', 5, 0, 'x')"));
  CHECK_THROWS(db.exec("INSERT INTO trial_conditions VALUES ('NCT99999999', 0, 'x')"));
}
