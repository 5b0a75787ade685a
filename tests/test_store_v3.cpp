// Schema v3: the runs table rebuilt without losing a row, run_sources, vanished sources and
// withdrawn trials, and trials linked (never merged) by other registries' numbers.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/store/run_sources.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/withdrawal.hpp"

using namespace trialmill;
using namespace trialmill::test;

TEST_CASE("store v3: migrating a v2 database keeps every runs row and adds the operations tables") {
  TempDir dir;
  const std::string path = (dir / "v2.db").string();
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(db, 2);
    REQUIRE(schema_version(db) == 2);
    db.exec("INSERT INTO runs (started_at, finished_at, command, records_read, inserted, status) "
            "VALUES ('2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z', 'trialmill-store --db x', 8, 5, 'ok'), "
            "       ('2026-11-02T00:00:00Z', NULL, 'trialmill-store --db x', 3, 0, 'running')");
    CHECK_THROWS(db.exec("INSERT INTO runs (started_at, command, status) VALUES ('t', 'c', 'held')"));
  }
  TrialStore store(path);
  auto& db = store.database();
  CHECK(schema_version(db) == kSchemaVersion);
  CHECK(rows(db, "SELECT id, command, records_read, inserted, status, pages_fetched, message FROM runs") ==
        std::vector<std::string>{"1|trialmill-store --db x|8|5|ok|0|NULL",
                                 "2|trialmill-store --db x|3|0|running|0|NULL"});
  CHECK_NOTHROW(db.exec("INSERT INTO runs (started_at, command, status) VALUES ('t', 'c', 'held')"));
  CHECK(db.tableExists("run_sources"));

  // Only locked commands' killed runs are marked: a trialmill-store run may still be alive.
  int64_t nightly = begin_run(db, "trialmill nightly --config c --db x");
  CHECK(mark_interrupted_runs(db, {"trialmill nightly"}) == 1);
  CHECK(rows(db, "SELECT status FROM runs WHERE id = " + std::to_string(nightly)) ==
        std::vector<std::string>{"interrupted"});
  CHECK(rows(db, "SELECT status FROM runs WHERE id = 2") == std::vector<std::string>{"running"});

  RunFigures figures;
  figures["veeva"].format = "veeva";
  figures["veeva"].records = 2;
  figures["veeva"].trials = 2;
  figures["veeva"].discovery_complete = true;
  save_run_sources(db, nightly, figures);
  int64_t later = begin_run(db, "trialmill nightly");
  RunFigures held = figures;
  held["veeva"].held = true;
  held["veeva"].held_reason = "test";
  held["veeva"].trials = 0;
  save_run_sources(db, later, held);
  // The gate compares with the last run in which the source was applied, not the held one.
  RunFigures previous = previous_applied_figures(db, later + 1);
  REQUIRE(previous.count("veeva"));
  CHECK(previous["veeva"].trials == 2);
  CHECK(previous["veeva"].discovery_complete);
  CHECK(previous_applied_figures(db, nightly).empty());
}

TEST_CASE("store v3: trials sharing another registry's number are linked, not merged") {
  TempDir dir;
  TrialStore store((dir / "t.db").string());
  JsonDocument a = make_record("NCT00000001");
  set(a, "brief_title", R"("A")");
  set(a, "secondary_ids", R"(["2019-001234-56", "ISRCTN12345678", "GPRD"])");
  JsonDocument b = make_record("NCT00000002");
  set(b, "brief_title", R"("B")");
  set(b, "secondary_ids", R"(["2019-001234-56", "GPRD"])");
  JsonDocument c = make_record("NCT00000003");
  set(c, "brief_title", R"("C")");
  set(c, "secondary_ids", R"(["2019-001234-5", "2022-500123-45-00"])");
  REQUIRE(store.store_batch({{"t:1", &a}, {"t:2", &b}, {"t:3", &c}}).inserted == 3);
  auto& db = store.database();
  CHECK(rows(db, "SELECT count(*) FROM trials") == std::vector<std::string>{"3"});
  CHECK(rows(db, "SELECT nct_id, registry, registry_id FROM trial_registry_ids ORDER BY 1, 2") ==
        std::vector<std::string>{"NCT00000001|EudraCT|2019-001234-56",
                                 "NCT00000001|ISRCTN|ISRCTN12345678",
                                 "NCT00000002|EudraCT|2019-001234-56",
                                 "NCT00000003|CTIS|2022-500123-45-00"});
  // "GPRD" is shared too, but it is nobody's registry number: no link.
  CHECK(rows(db, "SELECT nct_id, linked_nct_id, registry FROM trial_links ORDER BY 1") ==
        std::vector<std::string>{"NCT00000001|NCT00000002|EudraCT", "NCT00000002|NCT00000001|EudraCT"});
}

TEST_CASE("store v3: sweep_vanished marks what a complete discovery no longer lists, and unmarks it") {
  TempDir dir;
  TrialStore store((dir / "t.db").string());
  JsonDocument api = make_record("NCT00000001", "ctgov-v2-json", "https://api/");
  set(api, "brief_title", R"("A")");
  JsonDocument page = make_record("NCT00000001", "veeva", "https://veeva/");
  set(page, "brief_title", R"("A")");
  JsonDocument only_page = make_record("NCT00000002", "veeva", "https://veeva/");
  set(only_page, "brief_title", R"("B")");
  REQUIRE(store.store_batch({{"t:1", &api}, {"t:2", &page}, {"t:3", &only_page}}).failed == 0);
  auto& db = store.database();

  ListedPages nothing;
  WithdrawalCounts counts = sweep_vanished(db, "veeva", nothing, "2026-11-22T00:00:00Z");
  CHECK(counts.sources_vanished == 2);
  // NCT00000001 is still listed by the API: only the trial with no listed record is withdrawn.
  CHECK(counts.trials_withdrawn == 1);
  CHECK(rows(db, "SELECT nct_id, withdrawn_from_source_at FROM trials WHERE withdrawn_from_source_at IS NOT NULL") ==
        std::vector<std::string>{"NCT00000002|2026-11-22T00:00:00Z"});
  // Idempotent: the same sweep again changes nothing and records no change.
  counts = sweep_vanished(db, "veeva", nothing, "2026-11-23T00:00:00Z");
  CHECK(counts.sources_vanished + counts.trials_withdrawn + counts.sources_returned + counts.trials_returned == 0);
  CHECK(rows(db, "SELECT count(*) FROM trial_changes") == std::vector<std::string>{"1"});

  ListedPages listed;
  listed.urls.insert("https://veeva/NCT00000002");
  counts = sweep_vanished(db, "veeva", listed, "2026-11-24T00:00:00Z");
  CHECK(counts.sources_returned == 1);
  CHECK(counts.trials_returned == 1);
  CHECK(rows(db, "SELECT nct_id, vanished_at IS NOT NULL FROM sources WHERE format = 'veeva' ORDER BY 1") ==
        std::vector<std::string>{"NCT00000001|1", "NCT00000002|0"});
  CHECK(rows(db, "SELECT field, old_value, new_value FROM trial_changes ORDER BY id") ==
        std::vector<std::string>{"withdrawn_from_source_at|null|\"2026-11-22T00:00:00Z\"",
                                 "withdrawn_from_source_at|\"2026-11-22T00:00:00Z\"|null"});
}
