// The store stage: schema, canonical merge, never-blank rule, idempotent upserts, CLI.
// Every test works on a real SQLite file in a TempDir.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/record_hash.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"

namespace {

using namespace trialmill;
using trialmill::test::run_tool;
using trialmill::test::TempDir;
using trialmill::test::make_record;
using trialmill::test::set;
using trialmill::test::add_boom_trigger;
using trialmill::test::set_source;
using trialmill::test::rows;


// A record with most fields set, as normalize would write it.
JsonDocument full_record(const std::string& nct_id) {
  JsonDocument r = make_record(nct_id);
  set(r, "brief_title", R"("Anlotinib in Nasopharyngeal Carcinoma")");
  set(r, "official_title", R"("A Phase 2 Study of Anlotinib")");
  set(r, "acronym", R"("ANL")");
  set(r, "org_study_id", R"("2020-ANL-01")");
  set(r, "secondary_ids", R"(["2020HNRT02", "CTR2020"])");
  set(r, "overall_status", R"("RECRUITING")");
  set(r, "phases", R"(["PHASE1", "PHASE2"])");
  set(r, "study_type", R"("INTERVENTIONAL")");
  set(r, "brief_summary", R"("Summary.\n\nSecond paragraph.")");
  set(r, "conditions", R"(["Nasopharyngeal Carcinoma", "Recurrent Disease"])");
  set(r, "keywords", R"(["anlotinib"])");
  set(r, "mesh_terms", R"(["Carcinoma"])");
  set(r, "enrollment", R"({"count": 30, "type": "ESTIMATED"})");
  set(r, "allocation", R"("RANDOMIZED")");
  set(r, "masking", R"("NONE")");
  set(r, "arms", R"([{"label": "Anlotinib arm", "type": "EXPERIMENTAL", "description": "daily",
                      "intervention_names": ["Drug: Anlotinib", "Drug: Cisplatin"]},
                     {"label": "Control", "type": "ACTIVE_COMPARATOR", "description": null,
                      "intervention_names": []}])");
  set(r, "interventions", R"([{"type": "DRUG", "name": "Anlotinib", "description": "12 mg",
                               "other_names": ["AL3818"]}])");
  set(r, "primary_outcomes", R"([{"measure": "PFS", "time_frame": "2 years", "description": null}])");
  set(r, "secondary_outcomes", R"([{"measure": "OS", "time_frame": "5 years", "description": "d"}])");
  set(r, "sex", R"("ALL")");
  set(r, "minimum_age", R"({"value": 18, "unit": "YEARS"})");
  set(r, "maximum_age", R"({"value": 70, "unit": "YEARS"})");
  set(r, "min_age_years", "18");
  set(r, "max_age_years", "70");
  set(r, "healthy_volunteers", "false");
  set(r, "eligibility_criteria", R"("Inclusion:\n1. Adults")");
  set(r, "inclusion_criteria", R"(["Adults", "Consent"])");
  set(r, "exclusion_criteria", R"(["Pregnancy"])");
  set(r, "start_date", R"({"date": "2020-06", "type": "ACTUAL"})");
  set(r, "completion_date", R"({"date": "2024", "type": "ESTIMATED"})");
  set(r, "first_posted", R"("2020-05-01")");
  set(r, "lead_sponsor", R"({"name": "Sun Yat-sen University", "class": "OTHER"})");
  set(r, "collaborators", R"([{"name": "Chia Tai Tianqing", "class": "INDUSTRY"}])");
  set(r, "responsible_party",
      R"({"type": "PRINCIPAL_INVESTIGATOR", "name": "Rui You", "affiliation": "SYSU"})");
  set(r, "overall_officials",
      R"([{"name": "Rui You", "role": "PRINCIPAL_INVESTIGATOR", "affiliation": "SYSU"}])");
  set(r, "central_contacts",
      R"([{"name": "Rui You", "role": null, "phone": "+86 1", "email": "ry@example.org"}])");
  set(r, "locations", R"([{"facility": "Cancer Center", "city": "Guangzhou", "state": "Guangdong",
                           "zip": "510060", "country": "China", "status": "RECRUITING",
                           "contacts": [{"name": "Ming-Yuan Chen", "role": null, "phone": null,
                                         "email": "c@example.org"}]}])");
  set(r, "has_results", "false");
  set(r, "related_nct_ids", R"(["NCT00000002"])");
  REQUIRE(validate_trial_record(r).empty());
  return r;
}

std::string lines(const std::vector<const JsonDocument*>& records) {
  std::string out;
  for (const auto* r : records) out += to_json(*r) + "\n";
  return out;
}

// Every row of every table, in a stable order, as text.
std::string dump_database(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::vector<std::string> tables;
  SQLite::Statement list(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  // runs gets a row per invocation by design; FTS5 shadow tables have no rowid (trials_fts is
  // checked by its own tests).
  while (list.executeStep()) {
    std::string name = list.getColumn(0).getString();
    if (name != "runs" && name.rfind("trials_fts", 0) != 0) tables.push_back(name);
  }
  std::string out = "user_version=" + std::to_string(schema_version(db)) + "\n";
  for (const auto& table : tables) {
    out += "[" + table + "]\n";
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\" ORDER BY rowid");
    while (rows.executeStep()) {
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        auto column = rows.getColumn(i);
        out += column.isNull() ? std::string("NULL") : column.getString();
        out += "\x1f";
      }
      out += "\n";
    }
  }
  return out;
}

int64_t count_rows(SQLite::Database& db, const std::string& sql) {
  return db.execAndGet(sql).getInt64();
}

std::string text(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  REQUIRE(q.executeStep());
  auto column = q.getColumn(0);
  return column.isNull() ? std::string("NULL") : column.getString();
}

using Rows = std::vector<std::string>;

}  // namespace

TEST_CASE("store: a new database gets the current schema, WAL, foreign keys and meta") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  {
    TrialStore store(path);
    auto& db = store.database();
    CHECK(schema_version(db) == kSchemaVersion);
    CHECK(kSchemaVersion == static_cast<int>(migrations().size()));
    CHECK(text(db, "PRAGMA journal_mode") == "wal");
    CHECK(text(db, "PRAGMA foreign_keys") == "1");
    CHECK(db.execAndGet("PRAGMA busy_timeout").getInt() == kBusyTimeoutMs);
    CHECK(text(db, "SELECT value FROM meta WHERE key = 'schema_version'") == std::to_string(kSchemaVersion));
    CHECK(text(db, "SELECT value FROM meta WHERE key = 'tool_version'") == TRIALMILL_VERSION);
    CHECK(text(db, "SELECT value FROM meta WHERE key = 'created_at'").size() == 20);
    for (const char* table :
         {"trials", "trial_phases", "trial_conditions", "trial_keywords", "trial_mesh_terms",
          "trial_identifiers", "trial_interventions", "trial_arms", "trial_arm_interventions",
          "trial_criteria", "trial_outcomes", "trial_sponsors", "trial_officials",
          "trial_locations", "trial_contacts", "trial_related", "sources", "field_provenance",
          "trial_changes"}) {
      CAPTURE(table);
      CHECK(db.tableExists(table));
    }
  }
  // Reopening a current database writes nothing.
  std::string before = dump_database(path);
  {
    TrialStore again(path);
    CHECK(again.database().getTotalChanges() == 0);
  }
  CHECK(dump_database(path) == before);
}

TEST_CASE("store: a stored record reads back as columns and child rows") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument record = full_record("NCT04433169");
  TrialStore store(path);
  CHECK(store.add(record, "test:1") == StoreOutcome::inserted);
  store.commit();
  auto& db = store.database();

  CHECK(rows(db, "SELECT nct_id, brief_title, acronym, org_study_id, overall_status, study_type, "
                 "phases, enrollment_count, enrollment_type, sex FROM trials") ==
        Rows{"NCT04433169|Anlotinib in Nasopharyngeal Carcinoma|ANL|2020-ANL-01|RECRUITING|"
             "INTERVENTIONAL|PHASE1|PHASE2|30|ESTIMATED|ALL"});
  CHECK(rows(db, "SELECT minimum_age_value, minimum_age_unit, maximum_age_value, min_age_years, "
                 "max_age_years, healthy_volunteers, has_results, typeof(healthy_volunteers) "
                 "FROM trials") == Rows{"18.0|YEARS|70.0|18.0|70.0|0|0|integer"});
  CHECK(rows(db, "SELECT start_date, start_date_type, primary_completion_date, completion_date, "
                 "completion_date_type, first_posted, last_verified FROM trials") ==
        Rows{"2020-06|ACTUAL|NULL|2024|ESTIMATED|2020-05-01|NULL"});
  CHECK(rows(db, "SELECT lead_sponsor_name, lead_sponsor_class, responsible_party_type, "
                 "responsible_party_name, responsible_party_affiliation, brief_summary FROM trials") ==
        Rows{"Sun Yat-sen University|OTHER|PRINCIPAL_INVESTIGATOR|Rui You|SYSU|"
             "Summary.\n\nSecond paragraph."});

  CHECK(rows(db, "SELECT ordinal, phase FROM trial_phases ORDER BY ordinal") ==
        Rows{"0|PHASE1", "1|PHASE2"});
  CHECK(rows(db, "SELECT ordinal, name FROM trial_conditions ORDER BY ordinal") ==
        Rows{"0|Nasopharyngeal Carcinoma", "1|Recurrent Disease"});
  CHECK(rows(db, "SELECT keyword FROM trial_keywords") == Rows{"anlotinib"});
  CHECK(rows(db, "SELECT term FROM trial_mesh_terms") == Rows{"Carcinoma"});
  CHECK(rows(db, "SELECT ordinal, kind, value FROM trial_identifiers ORDER BY ordinal") ==
        Rows{"0|org_study_id|2020-ANL-01", "1|secondary|2020HNRT02", "2|secondary|CTR2020"});
  CHECK(rows(db, "SELECT type, name, description, other_names FROM trial_interventions") ==
        Rows{R"(DRUG|Anlotinib|12 mg|["AL3818"])"});
  CHECK(rows(db, "SELECT ordinal, label, type, description FROM trial_arms ORDER BY ordinal") ==
        Rows{"0|Anlotinib arm|EXPERIMENTAL|daily", "1|Control|ACTIVE_COMPARATOR|NULL"});
  CHECK(rows(db, "SELECT arm_ordinal, ordinal, name FROM trial_arm_interventions "
                 "ORDER BY arm_ordinal, ordinal") ==
        Rows{"0|0|Drug: Anlotinib", "0|1|Drug: Cisplatin"});
  CHECK(rows(db, "SELECT kind, ordinal, text FROM trial_criteria ORDER BY kind, ordinal") ==
        Rows{"exclusion|0|Pregnancy", "inclusion|0|Adults", "inclusion|1|Consent"});
  CHECK(rows(db, "SELECT kind, measure, time_frame, description FROM trial_outcomes "
                 "ORDER BY kind") == Rows{"primary|PFS|2 years|NULL", "secondary|OS|5 years|d"});
  CHECK(rows(db, "SELECT role, ordinal, name, class FROM trial_sponsors ORDER BY role") ==
        Rows{"collaborator|0|Chia Tai Tianqing|INDUSTRY", "lead|0|Sun Yat-sen University|OTHER"});
  CHECK(rows(db, "SELECT name, role, affiliation FROM trial_officials") ==
        Rows{"Rui You|PRINCIPAL_INVESTIGATOR|SYSU"});
  CHECK(rows(db, "SELECT facility, city, state, zip, country, status FROM trial_locations") ==
        Rows{"Cancer Center|Guangzhou|Guangdong|510060|China|RECRUITING"});
  CHECK(rows(db, "SELECT location_ordinal, name, phone, email FROM trial_contacts "
                 "ORDER BY location_ordinal NULLS FIRST") ==
        Rows{"NULL|Rui You|+86 1|ry@example.org", "0|Ming-Yuan Chen|NULL|c@example.org"});
  CHECK(rows(db, "SELECT related_nct_id FROM trial_related") == Rows{"NCT00000002"});

  // The canonical record round-trips every contract field.
  JsonDocument canonical =
      parse_json(text(db, "SELECT record_json FROM trials WHERE nct_id = 'NCT04433169'"), "db");
  for (const FieldSpec& spec : trial_fields()) {
    CAPTURE(spec.name);
    REQUIRE(find_member(canonical, spec.name) != nullptr);
    CHECK(canonical_json(*find_member(canonical, spec.name)) ==
          canonical_json(*find_member(record, spec.name)));
  }
  CHECK(find_member(canonical, "source") == nullptr);

  // The source record is kept whole, with its identity.
  CHECK(rows(db, "SELECT nct_id, format, url, fetched_at, sha256 FROM sources") ==
        Rows{"NCT04433169|ctgov-v2-json|https://clinicaltrials.gov/api/v2/studies/NCT04433169|"
             "2026-01-01T00:00:00Z|0123abcd"});
  CHECK(text(db, "SELECT record_hash FROM sources") == source_record_hash(record));
  // Every field with a value has provenance; a first insert records no changes.
  int64_t with_value = 0;
  for (const FieldSpec& spec : trial_fields())
    if (spec.name != "nct_id" && !is_empty_value(*find_member(record, spec.name))) ++with_value;
  CHECK(with_value > 30);
  CHECK(count_rows(db, "SELECT count(*) FROM field_provenance") == with_value);
  CHECK(count_rows(db, "SELECT count(*) FROM field_provenance WHERE field = 'last_verified'") == 0);
  CHECK(count_rows(db, "SELECT count(*) FROM trial_changes") == 0);
}

TEST_CASE("store: storing the same records twice writes nothing") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument a = full_record("NCT04433169");
  JsonDocument b = make_record("NCT01234567");
  set(b, "brief_title", R"("Second trial")");
  JsonDocument veeva = make_record("NCT01234567", "veeva", "https://ctv.veeva.com/study/");
  set(veeva, "brief_summary", R"("From Veeva")");

  std::string before;
  {
    TrialStore store(path);
    StoreStats first = store.store_batch({{"t:1", &a}, {"t:2", &b}, {"t:3", &veeva}});
    CHECK(first.inserted == 2);
    CHECK(first.updated == 1);
    CHECK(first.failed == 0);
    before = dump_database(path);
    int changes_before = store.database().getTotalChanges();
    CHECK(changes_before > 0);

    // Re-fetched later: only fetched_at differs, which is not part of the record's identity.
    set_source(a, "fetched_at", R"("2026-02-02T00:00:00Z")");
    StoreStats second = store.store_batch({{"t:1", &a}, {"t:2", &b}, {"t:3", &veeva}});
    CHECK(second.unchanged == 3);
    CHECK(second.inserted + second.updated + second.failed == 0);
    CHECK(store.database().getTotalChanges() == changes_before);
  }
  CHECK(dump_database(path) == before);

  // The same through the CLI: a second run reports everything unchanged and writes nothing.
  std::string input = lines({&a, &b, &veeva});
  auto run = run_tool("trialmill-store", {"--db", path}, input);
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("stored 3 records: 0 new, 0 changed, 3 unchanged, 0 failed") !=
        std::string::npos);
  CHECK(dump_database(path) == before);
}

TEST_CASE("store: a changed field writes exactly that trial_changes row") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument record = full_record("NCT04433169");
  TrialStore store(path);
  store.store_batch({{"t:1", &record}});
  auto& db = store.database();
  std::string first_seen = text(db, "SELECT first_seen_at FROM trials");

  set(record, "overall_status", R"("COMPLETED")");
  set_source(record, "fetched_at", R"("2026-03-01T00:00:00Z")");
  StoreStats stats = store.store_batch({{"t:2", &record}});
  CHECK(stats.updated == 1);
  CHECK(rows(db, "SELECT nct_id, field, old_value, new_value FROM trial_changes") ==
        Rows{R"(NCT04433169|overall_status|"RECRUITING"|"COMPLETED")"});
  CHECK(text(db, "SELECT source_id FROM trial_changes") == text(db, "SELECT id FROM sources"));
  CHECK(text(db, "SELECT overall_status FROM trials") == "COMPLETED");
  CHECK(text(db, "SELECT first_seen_at FROM trials") == first_seen);
  CHECK(text(db, "SELECT fetched_at FROM sources") == "2026-03-01T00:00:00Z");
  CHECK(count_rows(db, "SELECT count(*) FROM sources") == 1);
  // Child rows were rewritten, not duplicated.
  CHECK(count_rows(db, "SELECT count(*) FROM trial_conditions") == 2);
  CHECK(count_rows(db, "SELECT count(*) FROM trial_contacts") == 2);

  // A list change is one row too, with both values as JSON.
  set(record, "conditions", R"(["Nasopharyngeal Carcinoma"])");
  store.store_batch({{"t:3", &record}});
  CHECK(rows(db, "SELECT field, old_value, new_value FROM trial_changes WHERE id > 1") ==
        Rows{R"(conditions|["Nasopharyngeal Carcinoma","Recurrent Disease"]|["Nasopharyngeal Carcinoma"])"});
  CHECK(rows(db, "SELECT name FROM trial_conditions") == Rows{"Nasopharyngeal Carcinoma"});
}

TEST_CASE("store: a truncated page of the same source never blanks stored values") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument full = full_record("NCT04433169");
  auto first = run_tool("trialmill-store", {"--db", path}, lines({&full}));
  REQUIRE(first.exit_code == 0);

  // Same source (nct_id, format, url), later: an interstitial page with most fields gone,
  // but one real change.
  JsonDocument truncated = make_record("NCT04433169");
  set_source(truncated, "fetched_at", R"("2026-04-01T00:00:00Z")");
  set(truncated, "brief_title", R"("Anlotinib in Nasopharyngeal Carcinoma")");
  set(truncated, "overall_status", R"("ACTIVE_NOT_RECRUITING")");
  set(truncated, "brief_summary", R"("")");
  auto second = run_tool("trialmill-store", {"--db", path}, lines({&truncated}));
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("warning") != std::string::npos);
  CHECK(second.err.find("NCT04433169") != std::string::npos);
  CHECK(second.err.find("brief_summary") != std::string::npos);
  CHECK(second.err.find("locations") != std::string::npos);
  CHECK(second.err.find("0 new, 1 changed") != std::string::npos);

  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(text(db, "SELECT brief_summary FROM trials") == "Summary.\n\nSecond paragraph.");
  CHECK(text(db, "SELECT lead_sponsor_name FROM trials") == "Sun Yat-sen University");
  CHECK(text(db, "SELECT overall_status FROM trials") == "ACTIVE_NOT_RECRUITING");
  CHECK(count_rows(db, "SELECT count(*) FROM trial_locations") == 1);
  CHECK(count_rows(db, "SELECT count(*) FROM trial_conditions") == 2);
  CHECK(count_rows(db, "SELECT count(*) FROM sources") == 1);
  // The source row itself keeps them too, so a later merge cannot lose them either.
  JsonDocument stored = parse_json(text(db, "SELECT record_json FROM sources"), "db");
  CHECK(get_string(stored, "brief_summary") == std::optional<std::string>("Summary.\n\nSecond paragraph."));
  CHECK(find_member(stored, "locations")->Size() == 1);
  CHECK(rows(db, "SELECT field FROM trial_changes") == Rows{"overall_status"});
}

TEST_CASE("store: a page flagged as truncated cannot shorten or replace stored values") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument full = full_record("NCT04433169");
  TrialStore store(path);
  store.store_batch({{"t:1", &full}});

  JsonDocument cut = make_record("NCT04433169");
  set(cut, "parse_warnings", R"(["truncated: the page ends before the footer; fields after the cut are missing"])");
  set(cut, "inclusion_criteria", R"(["Adults"])");  // cut mid-list
  set(cut, "overall_status", R"("RECRUITING")");
  set(cut, "official_title", R"("A Phase 2 Study of Anl")");  // cut mid-text
  set(cut, "last_verified", R"("2026-01")");  // new, and nothing stored to protect
  CHECK(store.add(cut, "t:2") == StoreOutcome::updated);
  store.commit();
  auto& db = store.database();
  CHECK(rows(db, "SELECT text FROM trial_criteria WHERE kind = 'inclusion' ORDER BY ordinal") ==
        Rows{"Adults", "Consent"});
  CHECK(text(db, "SELECT official_title FROM trials") == "A Phase 2 Study of Anlotinib");
  CHECK(text(db, "SELECT last_verified FROM trials") == "2026-01");
  CHECK(rows(db, "SELECT field FROM trial_changes") == Rows{"last_verified"});

  // Without the flag a shorter list is a real change.
  set(cut, "parse_warnings", "[]");
  store.store_batch({{"t:3", &cut}});
  CHECK(rows(db, "SELECT text FROM trial_criteria WHERE kind = 'inclusion'") == Rows{"Adults"});
}

TEST_CASE("store: merge precedence across formats, with provenance") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument veeva = make_record("NCT04433169", "veeva", "https://ctv.veeva.com/study/",
                                   "2026-05-01T00:00:00Z");  // newer, but a lower-ranked format
  set(veeva, "brief_title", R"("Veeva title")");
  set(veeva, "brief_summary", R"("Veeva summary")");
  set(veeva, "conditions", R"(["NPC"])");
  set(veeva, "overall_status", R"("RECRUITING")");
  JsonDocument api = make_record("NCT04433169");
  set(api, "brief_title", R"("API title")");
  set(api, "overall_status", R"("COMPLETED")");
  set(api, "phases", R"(["PHASE2"])");

  TrialStore store(path);
  // The lower-ranked source first, so that "last write wins" would give the wrong answer.
  StoreStats stats = store.store_batch({{"t:1", &veeva}, {"t:2", &api}});
  CHECK(stats.inserted == 1);
  CHECK(stats.updated == 1);
  auto& db = store.database();
  CHECK(rows(db, "SELECT brief_title, brief_summary, overall_status, phases FROM trials") ==
        Rows{"API title|Veeva summary|COMPLETED|PHASE2"});
  CHECK(rows(db, "SELECT name FROM trial_conditions") == Rows{"NPC"});
  CHECK(rows(db, "SELECT p.field, s.format FROM field_provenance p "
                 "JOIN sources s ON s.id = p.source_id ORDER BY p.field") ==
        Rows{"brief_summary|veeva", "brief_title|ctgov-v2-json", "conditions|veeva",
             "overall_status|ctgov-v2-json", "phases|ctgov-v2-json"});
  // The API record changed what the Veeva record had set; the fields it only filled are changes too.
  CHECK(rows(db, "SELECT field, old_value, new_value FROM trial_changes ORDER BY field") ==
        Rows{R"(brief_title|"Veeva title"|"API title")",
             R"(overall_status|"RECRUITING"|"COMPLETED")", R"(phases|[]|["PHASE2"])"});

  // A third source that only repeats fields the API already gives: the source row is written,
  // the trial and its child rows are not.
  std::string updated_at = text(db, "SELECT updated_at FROM trials");
  JsonDocument html = make_record("NCT04433169", "ctgov-html", "https://clinicaltrials.gov/study/");
  set(html, "brief_title", R"("HTML title")");
  set(html, "phases", R"(["PHASE3"])");
  int before_html = db.getTotalChanges();
  CHECK(store.add(html, "t:3") == StoreOutcome::updated);
  store.commit();
  CHECK(db.getTotalChanges() == before_html + 1);
  CHECK(count_rows(db, "SELECT count(*) FROM sources") == 3);
  CHECK(text(db, "SELECT brief_title FROM trials") == "API title");
  CHECK(text(db, "SELECT updated_at FROM trials") == updated_at);
  CHECK(count_rows(db, "SELECT count(*) FROM trial_changes") == 3);

  // Storing the Veeva record again (re-fetched) changes nothing.
  int changes = db.getTotalChanges();
  set_source(veeva, "fetched_at", R"("2026-06-01T00:00:00Z")");
  CHECK(store.add(veeva, "t:4") == StoreOutcome::unchanged);
  store.commit();
  CHECK(db.getTotalChanges() == changes);
}

TEST_CASE("store: merge order is format rank, then newest fetched_at") {
  CHECK(source_rank("ctgov-v2-json") < source_rank("ctgov-html"));
  CHECK(source_rank("ctgov-html") < source_rank("veeva"));
  CHECK(source_rank("veeva") < source_rank("aggregator-trialx"));
  CHECK(source_rank("aggregator-meddatax") == source_rank("aggregator-generic"));
  CHECK(source_rank("aggregator-trialx") < source_rank("something-else"));

  JsonDocument older = make_record("NCT04433169", "aggregator-trialx", "https://a/", "2026-01-01T00:00:00Z");
  JsonDocument newer = make_record("NCT04433169", "aggregator-meddatax", "https://b/", "2026-02-01T00:00:00Z");
  JsonDocument undated = make_record("NCT04433169", "aggregator-generic", "https://c/", "x");
  set_source(undated, "fetched_at", "null");
  set(older, "brief_title", R"("older")");
  set(newer, "brief_title", R"("newer")");
  set(undated, "brief_title", R"("undated")");
  set(older, "acronym", R"("OLD")");
  set(undated, "keywords", R"(["k"])");

  auto merge = [&](std::vector<std::pair<int64_t, JsonDocument*>> records) {
    std::vector<SourceRecord> sources;
    for (auto& [id, doc] : records)
      sources.push_back({id, get_string_or((*doc)["source"], "format", ""),
                         get_string((*doc)["source"], "fetched_at"), doc});
    return merge_sources("NCT04433169", sources);
  };
  MergedTrial merged = merge({{1, &undated}, {2, &older}, {3, &newer}});
  CHECK(get_string(merged.record, "brief_title") == std::optional<std::string>("newer"));
  CHECK(get_string(merged.record, "acronym") == std::optional<std::string>("OLD"));
  CHECK(get_string_list(merged.record, "keywords") == std::vector<std::string>{"k"});
  CHECK(merged.provenance == std::map<std::string, int64_t>{
                                 {"brief_title", 3}, {"acronym", 2}, {"keywords", 1}});
  // Fields no source has stay empty, of the right kind.
  CHECK(find_member(merged.record, "official_title")->IsNull());
  CHECK(find_member(merged.record, "locations")->IsArray());
  CHECK(validate_trial_record(merged.record).size() == 1);  // only "source is missing"
}

TEST_CASE("store: invalid records are rejected and the others stored") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument good1 = make_record("NCT00000001");
  JsonDocument bad_enum = make_record("NCT00000002");
  set(bad_enum, "overall_status", R"("Enrolling")");
  JsonDocument no_id = make_record("NCT00000003");
  set(no_id, "nct_id", "null");
  JsonDocument good2 = make_record("NCT00000004");
  std::string input = lines({&good1, &bad_enum, &no_id}) + "{not json\n" + lines({&good2});

  // --batch 2 puts the bad records inside batches with good ones.
  auto run = run_tool("trialmill-store", {"--db", path, "--batch", "2"}, input);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("stdin:2: NCT00000002: rejected: overall_status") != std::string::npos);
  CHECK(run.err.find("stdin:3: rejected: nct_id") != std::string::npos);
  CHECK(run.err.find("stdin:4: rejected: invalid JSON") != std::string::npos);
  CHECK(run.err.find("stored 2 records: 2 new, 0 changed, 0 unchanged, 3 failed") !=
        std::string::npos);

  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(rows(db, "SELECT nct_id FROM trials ORDER BY nct_id") == Rows{"NCT00000001", "NCT00000004"});
  CHECK(rows(db, "SELECT nct_id FROM sources ORDER BY nct_id") == Rows{"NCT00000001", "NCT00000004"});

  // --quiet leaves only the errors.
  auto quiet = run_tool("trialmill-store", {"--db", path, "--quiet"}, input);
  CHECK(quiet.exit_code == 1);
  CHECK(quiet.err.find("stored ") == std::string::npos);
  CHECK(quiet.err.find("stdin:2") != std::string::npos);
}

TEST_CASE("store: a database error inside one record undoes that record only") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  { TrialStore create(path); }
  // Makes the child-row insert of one record fail after its source and trial rows were written.
  add_boom_trigger(path);
  JsonDocument good1 = make_record("NCT00000001");
  JsonDocument bad = make_record("NCT00000002");
  set(bad, "conditions", R"(["BOOM"])");
  JsonDocument good2 = make_record("NCT00000003");
  TrialStore store(path);
  StoreStats stats = store.store_batch({{"t:1", &good1}, {"t:2", &bad}, {"t:3", &good2}});
  CHECK(stats.inserted == 2);
  CHECK(stats.failed == 1);
  auto& db = store.database();
  CHECK(rows(db, "SELECT nct_id FROM sources ORDER BY nct_id") == Rows{"NCT00000001", "NCT00000003"});
  CHECK(rows(db, "SELECT nct_id FROM trials ORDER BY nct_id") == Rows{"NCT00000001", "NCT00000003"});
  CHECK(count_rows(db, "SELECT count(*) FROM field_provenance WHERE nct_id = 'NCT00000002'") == 0);
}

TEST_CASE("store: a database from a newer trialmill is refused and left alone") {
  TempDir dir;
  std::string path = (dir / "future.db").string();
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE future (x); INSERT INTO future VALUES (1)");
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  }
  std::string bytes = trialmill::test::read_text(path);
  JsonDocument record = make_record("NCT00000001");

  auto run = run_tool("trialmill-store", {"--db", path}, lines({&record}));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("newer") != std::string::npos);
  CHECK(trialmill::test::read_text(path) == bytes);
  CHECK_THROWS_AS(TrialStore{path}, DatabaseError);
  CHECK(trialmill::test::read_text(path) == bytes);

  // Not a database at all: also a usage-level failure.
  std::string junk = (dir / "junk.db").string();
  trialmill::test::write_text(junk, std::string(4096, 'x'));
  CHECK(run_tool("trialmill-store", {"--db", junk}, lines({&record})).exit_code == 2);
}

TEST_CASE("store: a writer does not fail while a reader holds a snapshot") {
  TempDir dir;
  std::string path = (dir / "trials.db").string();
  JsonDocument a = make_record("NCT00000001");
  REQUIRE(run_tool("trialmill-store", {"--db", path}, lines({&a})).exit_code == 0);
  SQLite::Database reader(path, SQLite::OPEN_READWRITE);
  SQLite::Transaction snapshot(reader);
  CHECK(count_rows(reader, "SELECT count(*) FROM trials") == 1);
  JsonDocument b = make_record("NCT00000002");
  auto run = run_tool("trialmill-store", {"--db", path}, lines({&b}));
  CHECK(run.exit_code == 0);
  CHECK(count_rows(reader, "SELECT count(*) FROM trials") == 1);  // the reader's snapshot
}

TEST_CASE("store: command line") {
  TempDir dir;
  auto help = run_tool("trialmill-store", {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Usage: trialmill-store --db PATH") != std::string::npos);
  CHECK(help.out.find("--batch N") != std::string::npos);
  CHECK(help.out.find("Exit status:") != std::string::npos);

  auto version = run_tool("trialmill-store", {"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out == std::string("trialmill-store ") + TRIALMILL_VERSION + " (database schema " +
                         std::to_string(kSchemaVersion) + ")\n");

  auto unknown = run_tool("trialmill-store", {"--db", (dir / "a.db").string(), "--frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "a.db"));

  auto no_db = run_tool("trialmill-store", {});
  CHECK(no_db.exit_code == 2);
  CHECK(no_db.err.find("--db") != std::string::npos);
  CHECK(run_tool("trialmill-store", {"--db", (dir / "b.db").string(), "--batch", "0"}).exit_code == 2);

  // Files as arguments, a missing file reported by name, JSON log lines.
  JsonDocument record = make_record("NCT00000001");
  trialmill::test::write_text(dir / "in.jsonl", lines({&record}));
  auto files = run_tool("trialmill-store", {"--db", (dir / "c.db").string(), "--log-format", "json",
                                            (dir / "in.jsonl").string(),
                                            (dir / "missing.jsonl").string()});
  CHECK(files.exit_code == 1);
  CHECK(files.err.find(R"("input":")" + (dir / "missing.jsonl").string()) != std::string::npos);
  CHECK(files.err.find("stored 1 records: 1 new") != std::string::npos);
}

TEST_CASE("store: a first source's texts and hashes are those of their definitions, byte for byte") {
  std::vector<JsonDocument> records;
  for (const char* dir : {"expected", "corpus-expected"})
    for (const auto& entry : test::fs::directory_iterator(test::fixtures_dir() / dir))
      if (entry.path().extension() == ".json") {
        JsonDocument record = parse_json(test::read_text(entry.path()), entry.path().string());
        if (record.IsObject() && find_member(record, "nct_id")) records.push_back(std::move(record));
      }
  REQUIRE(records.size() >= 5);
  // Empty values of every kind, a field missing, a key that sorts before nct_id, a source without
  // fetched_at, and escapes in keys and values.
  JsonDocument odd = make_record("NCT00000009");
  set(odd, "brief_title", R"("")");
  set(odd, "enrollment", "{}");
  set(odd, "conditions", "[]");
  set(odd, "acronym", R"("A \"quoted\" \u00e9 \n")");
  odd.RemoveMember("keywords");
  set(odd, "aaa_extra", R"({"z": 1, "a": [{"y": 2, "b": null}]})");
  set(odd, "raw", R"({"k\"ey": "v", "a": {"d": 1, "c": 2}})");
  odd["source"].RemoveMember("fetched_at");
  records.push_back(std::move(odd));
  for (const auto& record : records) {
    std::string nct_id = get_string_or(record, "nct_id", "");
    CAPTURE(nct_id);
    FirstSourceTexts texts = first_source_texts(record, nct_id);
    SourceRecord only;
    only.format = "x";
    only.record = &record;
    MergedTrial merged = merge_sources(nct_id, {only});
    CHECK(texts.json == to_json(record));
    CHECK(texts.hash == source_record_hash(record));
    CHECK(texts.merged_json == to_json(merged.record));
    CHECK(texts.content_hash == sha256_hex(canonical_json(merged.record)));
  }
}
