// Schema v2 of the store: migration from v1, full-text search, views, eligibility thresholds,
// runs, and trialmill-export. Every test works on a real SQLite file in a TempDir.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/export.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"

namespace {

using namespace trialmill;
using trialmill::test::run_tool;
using trialmill::test::TempDir;
using trialmill::test::make_record;
using trialmill::test::set;
using trialmill::test::rows;
using trialmill::test::atra_record;
using trialmill::test::add_boom_trigger;
using Rows = std::vector<std::string>;


constexpr std::string_view kThresholds = R"([
  {"kind": "inclusion", "criterion": 0, "parameter": "HEMOGLOBIN", "comparator": ">=", "value": 90,
   "upper": null, "unit": "g/L", "sex": null, "condition": null, "text": "Hemoglobin >= 90 g/L",
   "confidence": "high"},
  {"kind": "inclusion", "criterion": 1, "parameter": "ECOG", "comparator": "range", "value": 0,
   "upper": 1, "unit": null, "sex": null, "condition": null, "text": "ECOG 0-1"},
  {"kind": "exclusion", "criterion": 0, "parameter": "QTC", "comparator": ">", "value": 450.5,
   "upper": null, "unit": "ms", "sex": "MALE", "condition": null, "text": "QTc > 450 ms"},
  {"kind": "maybe", "criterion": 0, "parameter": "X", "comparator": ">", "value": 1},
  {"kind": "inclusion", "criterion": -1, "parameter": "X", "comparator": ">", "value": 1},
  "not an object"
])";

std::string lines(const std::vector<const JsonDocument*>& records) {
  std::string out;
  for (const auto* r : records) out += to_json(*r) + "\n";
  return out;
}

std::string text(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  REQUIRE(q.executeStep());
  auto column = q.getColumn(0);
  return column.isNull() ? std::string("NULL") : column.getString();
}

int64_t count(SQLite::Database& db, const std::string& sql) {
  return db.execAndGet(sql).getInt64();
}

Rows fts(SQLite::Database& db, const std::string& query) {
  SQLite::Statement q(db, "SELECT nct_id FROM trials_fts WHERE trials_fts MATCH ? ORDER BY nct_id");
  q.bind(1, query);
  Rows out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

// FTS5's own check that the index matches its content view; throws when it does not.
void check_fts_integrity(SQLite::Database& db) {
  CHECK_NOTHROW(db.exec("INSERT INTO trials_fts (trials_fts) VALUES ('integrity-check')"));
}

// The tables of schema v1 and their columns, read from a database migrated to v1 only.
std::vector<std::pair<std::string, std::string>> v1_tables(SQLite::Database& v1) {
  std::vector<std::pair<std::string, std::string>> tables;
  SQLite::Statement list(v1, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (list.executeStep()) {
    std::string name = list.getColumn(0).getString();
    SQLite::Statement columns(v1, "SELECT group_concat(name, ', ') FROM pragma_table_info(?)");
    columns.bind(1, name);
    REQUIRE(columns.executeStep());
    tables.emplace_back(name, columns.getColumn(0).getString());
  }
  return tables;
}

// Every row of the v1 tables (meta aside), for comparing before and after the migration.
std::string dump_v1_data(SQLite::Database& db,
                         const std::vector<std::pair<std::string, std::string>>& tables) {
  std::string out;
  for (const auto& [table, columns] : tables) {
    if (table == "meta") continue;
    out += "[" + table + "]\n";
    for (const auto& row : rows(db, "SELECT " + columns + " FROM " + table + " ORDER BY rowid"))
      out += row + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("store v2: a v1 database migrates with its data kept and every trial searchable") {
  TempDir dir;
  const std::string current = (dir / "current.db").string();
  const std::string old = (dir / "v1.db").string();
  JsonDocument a = atra_record("NCT04433169");
  JsonDocument b = make_record("NCT00000002", "veeva", "https://ctv.veeva.com/study/");
  set(b, "brief_title", R"("Anlotinib for Sarcoma")");
  set(b, "conditions", R"(["Soft Tissue Sarcoma"])");
  {
    TrialStore store(current);
    StoreStats stats = store.store_batch({{"t:1", &a}, {"t:2", &b}});
    REQUIRE(stats.inserted == 2);
  }

  // A database with only migration 1 applied, holding the same rows as the current one.
  std::vector<std::pair<std::string, std::string>> tables;
  std::string before;
  {
    SQLite::Database v1(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(v1, 1);
    REQUIRE(schema_version(v1) == 1);
    CHECK_FALSE(v1.tableExists("trials_fts"));
    CHECK_FALSE(v1.tableExists("runs"));
    tables = v1_tables(v1);
    v1.exec("ATTACH DATABASE '" + current + "' AS src");
    for (const auto& [table, columns] : tables)
      if (table != "meta")
        v1.exec("INSERT INTO main." + table + " (" + columns + ") SELECT " + columns +
                " FROM src." + table);
    v1.exec("DETACH DATABASE src");
    CHECK(count(v1, "SELECT count(*) FROM trials") == 2);
    before = dump_v1_data(v1, tables);
  }

  TrialStore store(old);
  auto& db = store.database();
  CHECK(schema_version(db) == kSchemaVersion);
  CHECK(text(db, "SELECT value FROM meta WHERE key = 'schema_version'") == std::to_string(kSchemaVersion));
  CHECK(dump_v1_data(db, tables) == before);
  CHECK(count(db, "SELECT count(*) FROM trials WHERE withdrawn_from_source_at IS NOT NULL") == 0);
  for (const char* name : {"trials_fts", "eligibility_thresholds", "runs"}) {
    CAPTURE(name);
    CHECK(db.tableExists(name));
  }
  CHECK(count(db,
              "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name IN "
              "('trial_summary', 'recruiting_by_condition', 'recruiting_by_country')") == 3);

  // The trials stored by v1 are in the index, column by column.
  CHECK(fts(db, "retinoic") == Rows{"NCT04433169"});
  CHECK(fts(db, "NCT00000002") == Rows{"NCT00000002"});
  CHECK(fts(db, "sarcoma") == Rows{"NCT00000002"});
  CHECK(fts(db, "conditions:nasopharyngeal") == Rows{"NCT04433169"});
  CHECK(fts(db, "interventions:vesanoid") == Rows{"NCT04433169"});
  CHECK(fts(db, "eligibility_criteria:hemoglobin") == Rows{"NCT04433169"});
  CHECK(fts(db, "tretinoin") == Rows{"NCT04433169"});
  CHECK(fts(db, "carcinoma OR sarcoma") == Rows{"NCT00000002", "NCT04433169"});
  check_fts_integrity(db);

  // Kept in step on update: the old words go, the new ones come.
  set(b, "brief_title", R"("Pazopanib for Sarcoma")");
  set(b, "conditions", R"(["Leiomyosarcoma"])");
  CHECK(store.add(b, "t:3") == StoreOutcome::updated);
  store.commit();
  CHECK(fts(db, "anlotinib").empty());
  CHECK(fts(db, "pazopanib") == Rows{"NCT00000002"});
  CHECK(fts(db, "leiomyosarcoma") == Rows{"NCT00000002"});
  CHECK(fts(db, "conditions:soft").empty());
  check_fts_integrity(db);

  // ... and on delete, by anyone.
  db.exec("DELETE FROM trials WHERE nct_id = 'NCT00000002'");
  CHECK(fts(db, "pazopanib").empty());
  CHECK(count(db, "SELECT count(*) FROM trial_conditions WHERE nct_id = 'NCT00000002'") == 0);
  CHECK(fts(db, "retinoic") == Rows{"NCT04433169"});
  check_fts_integrity(db);
}

TEST_CASE("store v2: trials_fts is indexed at commit, right through updates within one batch") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  { TrialStore create(path); }
  // One record of the batch fails after its rows were written: its text must not be indexed.
  add_boom_trigger(path);
  TrialStore store(path);
  auto& db = store.database();
  // An indexed trial from an earlier batch.
  JsonDocument old = make_record("NCT00000001");
  set(old, "brief_title", R"("Anlotinib for Sarcoma")");
  CHECK(store.add(old, "t:1") == StoreOutcome::inserted);
  store.commit();
  CHECK(fts(db, "anlotinib") == Rows{"NCT00000001"});

  // One batch: a new trial changed twice (same source, then a second source), the old trial
  // changed twice, and a new trial that fails.
  JsonDocument fresh = make_record("NCT00000002");
  set(fresh, "brief_title", R"("Tretinoin First")");
  CHECK(store.add(fresh, "t:2") == StoreOutcome::inserted);
  set(fresh, "brief_title", R"("Tretinoin Second")");
  set(fresh, "conditions", R"(["Nasopharyngeal Carcinoma"])");
  CHECK(store.add(fresh, "t:3") == StoreOutcome::updated);
  JsonDocument fresh_html = make_record("NCT00000002", "ctgov-html");
  set(fresh_html, "acronym", R"("ATRA")");
  CHECK(store.add(fresh_html, "t:4") == StoreOutcome::updated);
  set(old, "brief_title", R"("Pazopanib for Sarcoma")");
  CHECK(store.add(old, "t:5") == StoreOutcome::updated);
  set(old, "brief_title", R"("Pazopanib for Leiomyosarcoma")");
  CHECK(store.add(old, "t:6") == StoreOutcome::updated);
  JsonDocument bad = make_record("NCT00000003");
  set(bad, "brief_title", R"("Vanished Vemurafenib")");
  set(bad, "conditions", R"(["BOOM"])");
  CHECK(store.add(bad, "t:7") == StoreOutcome::failed);
  // Another connection sees neither the rows nor their text before the commit...
  SQLite::Database reader(path, SQLite::OPEN_READONLY);
  CHECK(count(reader, "SELECT count(*) FROM trials") == 1);
  CHECK(fts(reader, "anlotinib") == Rows{"NCT00000001"});
  store.commit();

  // ... and both after it, as one.
  CHECK(fts(reader, "tretinoin") == Rows{"NCT00000002"});
  CHECK(fts(reader, "first").empty());
  CHECK(fts(reader, "second") == Rows{"NCT00000002"});
  CHECK(fts(reader, "conditions:nasopharyngeal") == Rows{"NCT00000002"});
  CHECK(fts(reader, "acronym:atra") == Rows{"NCT00000002"});
  CHECK(fts(reader, "anlotinib").empty());
  CHECK(fts(reader, "pazopanib") == Rows{"NCT00000001"});
  CHECK(fts(reader, "leiomyosarcoma") == Rows{"NCT00000001"});
  CHECK(fts(reader, "vemurafenib").empty());
  CHECK(count(reader, "SELECT count(*) FROM trials") == 2);
  CHECK(count(reader, "SELECT count(*) FROM trials_fts_docsize") == 2);  // documents indexed
  check_fts_integrity(db);

  // A batch rolled back (the store closed without commit) leaves the index as it was.
  {
    TrialStore other(path);
    JsonDocument gone = make_record("NCT00000004");
    set(gone, "brief_title", R"("Rolled Back Regorafenib")");
    CHECK(other.add(gone, "t:8") == StoreOutcome::inserted);
    set(old, "brief_title", R"("Sorafenib")");
    CHECK(other.add(old, "t:9") == StoreOutcome::updated);
  }
  CHECK(fts(reader, "regorafenib").empty());
  CHECK(fts(reader, "sorafenib").empty());
  CHECK(fts(reader, "leiomyosarcoma") == Rows{"NCT00000001"});
  check_fts_integrity(db);
}

TEST_CASE("store v2: trial_summary and the recruiting views") {
  TempDir dir;
  TrialStore store((dir / "trials.db").string());
  JsonDocument a = atra_record("NCT04433169");
  JsonDocument a_veeva = make_record("NCT04433169", "veeva", "https://ctv.veeva.com/study/");
  set(a_veeva, "acronym", R"("ATRA")");
  JsonDocument done = atra_record("NCT00000002");
  set(done, "overall_status", R"("COMPLETED")");
  JsonDocument gone = atra_record("NCT00000003");
  store.store_batch({{"t:1", &a}, {"t:2", &a_veeva}, {"t:3", &done}, {"t:4", &gone}});
  auto& db = store.database();
  db.exec(
      "UPDATE trials SET withdrawn_from_source_at = '2026-11-01T00:00:00Z' "
      "WHERE nct_id = 'NCT00000003'");

  CHECK(rows(db, "SELECT * FROM trial_summary WHERE nct_id = 'NCT04433169'") ==
        Rows{"NCT04433169|All-trans Retinoic Acid in Recurrent Cancer|RECRUITING|PHASE2|"
             "INTERVENTIONAL|30|Nasopharyngeal Carcinoma; Head and Neck Cancer|"
             "Sun Yat-sen University|2020-06|NULL|2024|2025-01-02|2|NULL"});
  CHECK(count(db, "SELECT count(*) FROM trial_summary") == 3);
  // Only recruiting trials still in their source.
  CHECK(rows(db,
             "SELECT condition, nct_id, phases FROM recruiting_by_condition ORDER BY condition") ==
        Rows{"Head and Neck Cancer|NCT04433169|PHASE2",
             "Nasopharyngeal Carcinoma|NCT04433169|PHASE2"});
  CHECK(rows(db, "SELECT country, nct_id, sites FROM recruiting_by_country ORDER BY country") ==
        Rows{"China|NCT04433169|2", "United States|NCT04433169|1"});
}

TEST_CASE("store v2: eligibility thresholds come from the source whose criteria won") {
  TempDir dir;
  TrialStore store((dir / "trials.db").string());
  auto& db = store.database();
  JsonDocument api = atra_record("NCT04433169");
  set(api, "eligibility_thresholds", kThresholds);
  // A lower-ranked source with its own criteria and thresholds: they point into a list that lost.
  JsonDocument veeva = make_record("NCT04433169", "veeva", "https://ctv.veeva.com/study/");
  set(veeva, "inclusion_criteria", R"(["Platelets >= 100"])");
  set(veeva, "eligibility_thresholds",
      R"([{"kind": "inclusion", "criterion": 0, "parameter": "PLATELETS", "comparator": ">=",
           "value": 100, "upper": null, "unit": null, "sex": null, "condition": null,
           "text": "Platelets >= 100"}])");
  CHECK(store.store_batch({{"t:1", &veeva}, {"t:2", &api}}).failed == 0);
  const std::string all =
      "SELECT ordinal, kind, criterion, parameter, comparator, value, upper, unit, sex, condition, "
      "text FROM eligibility_thresholds ORDER BY ordinal";
  const Rows expected{"0|inclusion|0|HEMOGLOBIN|>=|90.0|NULL|g/L|NULL|NULL|Hemoglobin >= 90 g/L",
                      "1|inclusion|1|ECOG|range|0.0|1.0|NULL|NULL|NULL|ECOG 0-1",
                      "2|exclusion|0|QTC|>|450.5|NULL|ms|MALE|NULL|QTc > 450 ms"};
  CHECK(rows(db, all) == expected);

  // Stored again: nothing written.
  int changes = db.getTotalChanges();
  CHECK(store.add(api, "t:3") == StoreOutcome::unchanged);
  store.commit();
  CHECK(db.getTotalChanges() == changes);

  // New thresholds with the same contract fields: the rows change, the trial does not.
  const int64_t trial_changes = count(db, "SELECT count(*) FROM trial_changes");
  const std::string updated_at = text(db, "SELECT updated_at FROM trials");
  set(api, "eligibility_thresholds", R"([{"kind": "exclusion", "criterion": 0, "parameter": "QTC",
      "comparator": ">", "value": 470, "upper": null, "unit": "ms", "sex": "FEMALE",
      "condition": null, "text": "QTc > 470 ms"}])");
  CHECK(store.add(api, "t:4") == StoreOutcome::updated);
  store.commit();
  CHECK(rows(db, all) == Rows{"0|exclusion|0|QTC|>|470.0|NULL|ms|FEMALE|NULL|QTc > 470 ms"});
  CHECK(count(db, "SELECT count(*) FROM trial_changes") == trial_changes);
  CHECK(text(db, "SELECT updated_at FROM trials") == updated_at);

  // A truncated page keeps the stored criteria, and with them the thresholds that point into them.
  JsonDocument cut = atra_record("NCT04433169");
  set(cut, "parse_warnings", R"(["truncated: the page ends early"])");
  set(cut, "inclusion_criteria", R"(["Hemoglobin >= 90 g/L"])");
  set(cut, "exclusion_criteria", "[]");
  set(cut, "eligibility_thresholds", "[]");
  CHECK(store.add(cut, "t:5") == StoreOutcome::updated);
  store.commit();
  CHECK(rows(db, all) == Rows{"0|exclusion|0|QTC|>|470.0|NULL|ms|FEMALE|NULL|QTc > 470 ms"});
  CHECK(count(db, "SELECT count(*) FROM trial_criteria WHERE nct_id = 'NCT04433169'") == 3);

  // A record without the array (older normalize) has no thresholds.
  JsonDocument plain = atra_record("NCT00000005");
  store.store_batch({{"t:5", &plain}});
  CHECK(count(db, "SELECT count(*) FROM eligibility_thresholds WHERE nct_id = 'NCT00000005'") == 0);
}

TEST_CASE("store v2: every trialmill-store run is recorded") {
  TempDir dir;
  const std::string path = (dir / "trials.db").string();
  JsonDocument a = atra_record("NCT04433169");
  JsonDocument bad = make_record("NCT00000002");
  set(bad, "overall_status", R"("Enrolling")");
  REQUIRE(run_tool("trialmill-store", {"--db", path}, lines({&a})).exit_code == 0);
  REQUIRE(
      run_tool("trialmill-store", {"--db", path, "--batch", "1"}, lines({&a, &bad}) + "{not json\n")
          .exit_code == 1);

  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  CHECK(rows(db,
             "SELECT id, records_read, inserted, updated, unchanged, failed, status, "
             "finished_at IS NOT NULL, finished_at >= started_at FROM runs ORDER BY id") ==
        Rows{"1|1|1|0|0|0|ok|1|1", "2|3|0|0|1|2|partial|1|1"});
  CHECK(text(db, "SELECT command FROM runs WHERE id = 2")
            .find("trialmill-store --db " + path + " --batch 1") != std::string::npos);

  // A run that never finished (killed) stays visible as running, with its last counts.
  int64_t id = begin_run(db, "trialmill-store --db x");
  StoreStats partial;
  partial.inserted = 500;
  update_run(db, id, 500, partial, RunStatus::running);
  CHECK(rows(db, "SELECT status, finished_at, records_read, inserted FROM runs WHERE id = " +
                     std::to_string(id)) == Rows{"running|NULL|500|500"});
}

TEST_CASE("export: JSON Lines round-trip through trialmill-store, byte for byte") {
  TempDir dir;
  const std::string first = (dir / "first.db").string();
  const std::string second = (dir / "second.db").string();
  JsonDocument api = atra_record("NCT04433169");
  set(api, "eligibility_thresholds", kThresholds);
  JsonDocument html = make_record("NCT04433169", "ctgov-html", "https://clinicaltrials.gov/study/");
  set(html, "acronym", R"("ATRA")");
  set(html, "keywords", R"(["retinoid", "line\nbreak, \"quoted\""])");
  JsonDocument other = make_record("NCT00000002", "aggregator-trialx", "https://trialx.com/");
  set(other, "brief_title", R"("Ünïcode — title, with \"quotes\"")");
  set(other, "overall_status", R"("COMPLETED")");
  REQUIRE(run_tool("trialmill-store", {"--db", first}, lines({&api, &html, &other})).exit_code ==
          0);

  auto exported = run_tool("trialmill-export", {"--db", first, "--format", "jsonl"});
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.err.find("exported 2 trials") != std::string::npos);
  auto stored = run_tool("trialmill-store", {"--db", second}, exported.out);
  REQUIRE(stored.exit_code == 0);
  CHECK(stored.err.find("2 new") != std::string::npos);
  auto again = run_tool("trialmill-export", {"--db", second});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == exported.out);

  // Each line is the canonical record (merged from both sources) plus thresholds and a source.
  std::istringstream in(exported.out);
  std::string line;
  REQUIRE(std::getline(in, line));
  JsonDocument record = parse_json(line, "export");
  CHECK(get_string(record, "nct_id") == std::optional<std::string>("NCT00000002"));
  REQUIRE(std::getline(in, line));
  record = parse_json(line, "export");
  CHECK(validate_trial_record(record).empty());
  CHECK(get_string(record, "acronym") == std::optional<std::string>("ATRA"));
  CHECK(get_string(record["source"], "format") == std::optional<std::string>("ctgov-v2-json"));
  CHECK(record["eligibility_thresholds"].Size() == 3);
  CHECK(record["eligibility_thresholds"][0]["value"].IsInt());
  CHECK(record["eligibility_thresholds"][2]["value"].GetDouble() == 450.5);
  SQLite::Database db(second, SQLite::OPEN_READONLY);
  CHECK(count(db, "SELECT count(*) FROM eligibility_thresholds") == 3);

  auto recruiting = run_tool("trialmill-export", {"--db", first, "--where-status", "RECRUITING"});
  CHECK(recruiting.exit_code == 0);
  CHECK(recruiting.out.find("NCT04433169") != std::string::npos);
  CHECK(recruiting.out.find("NCT00000002") == std::string::npos);
}

TEST_CASE("export: CSV is RFC 4180 with the trial_summary columns") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");

  TempDir dir;
  const std::string path = (dir / "trials.db").string();
  JsonDocument a = make_record("NCT00000001");
  set(a, "brief_title", R"("Title, with \"quotes\"\nand a newline")");
  set(a, "overall_status", R"("RECRUITING")");
  set(a, "conditions", R"(["Asthma", "COPD"])");
  set(a, "enrollment", R"({"count": 12, "type": "ACTUAL"})");
  JsonDocument b = make_record("NCT00000002");
  set(b, "overall_status", R"("COMPLETED")");
  REQUIRE(run_tool("trialmill-store", {"--db", path}, lines({&a, &b})).exit_code == 0);

  auto csv = run_tool("trialmill-export", {"--db", path, "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out ==
        "nct_id,brief_title,overall_status,phases,study_type,enrollment_count,conditions,"
        "lead_sponsor_name,start_date,primary_completion_date,completion_date,last_update_posted,"
        "source_count,withdrawn_from_source_at\r\n"
        "NCT00000001,\"Title, with \"\"quotes\"\"\nand a newline\",RECRUITING,,,12,Asthma; COPD,"
        ",,,,,1,\r\n"
        "NCT00000002,,COMPLETED,,,,,,,,,,1,\r\n");
  auto filtered = run_tool("trialmill-export",
                           {"--db", path, "--format", "csv", "--where-status", "COMPLETED"});
  CHECK(filtered.exit_code == 0);
  CHECK(filtered.out.find("NCT00000001") == std::string::npos);
  CHECK(filtered.out.find("NCT00000002,") != std::string::npos);
}

TEST_CASE("export: command line") {
  TempDir dir;
  auto help = run_tool("trialmill-export", {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Usage: trialmill-export --db PATH") != std::string::npos);
  CHECK(help.out.find("Exit status:") != std::string::npos);
  auto version = run_tool("trialmill-export", {"--version"});
  CHECK(version.out == std::string("trialmill-export ") + TRIALMILL_VERSION + " (database schema " +
                         std::to_string(kSchemaVersion) + ")\n");

  const std::string path = (dir / "trials.db").string();
  { TrialStore create(path); }
  CHECK(run_tool("trialmill-export", {}).exit_code == 2);
  CHECK(run_tool("trialmill-export", {"--db", path, "--format", "xml"}).exit_code == 2);
  CHECK(run_tool("trialmill-export", {"--db", path, "--where-status", "Recruiting"}).exit_code ==
        2);
  auto empty = run_tool("trialmill-export", {"--db", path});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.empty());

  // A missing database is not created; a v1 database is not migrated by a reader.
  const std::string missing = (dir / "missing.db").string();
  CHECK(run_tool("trialmill-export", {"--db", missing}).exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(missing));
  const std::string old = (dir / "v1.db").string();
  {
    SQLite::Database v1(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(v1, 1);
  }
  auto refused = run_tool("trialmill-export", {"--db", old});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("older") != std::string::npos);
}
