// `trialmill publish` into a real, throw-away PostgreSQL (tests/pg_cluster.hpp) after a nightly run
// on the offline registry: every table and view holds what SQLite holds; a publish with nothing
// changed sends nothing; after a change only the changed trials go; a publish killed (-9) at five
// moments and run again ends identical to an uninterrupted one; the AACT queries of
// tests/aact-queries give the same trials on the ctgov views as on trialmill's own tables.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>

#include "db_helpers.hpp"
#include "pg_cluster.hpp"
#include "support.hpp"
#include "trialmill/publish/pg.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

struct OfflineDatabase {
  TempDir dir;
  fs::path root = [this] {
    fs::copy(fixtures_dir() / "registry", dir / "registry", fs::copy_options::recursive);
    return dir / "registry";
  }();
  BackgroundTool server{"trialmill-registry-server", {root.string()}};
  std::string base = server.read_line().value_or("");
  fs::path db = dir / "trials.db";

  CommandResult nightly() {
    return run_tool(
        "trialmill",
        {"nightly", "--quiet", "--config", (source_dir() / "config" / "offline.json").string(),
         "--base", base, "--db", db.string(), "--archive", (dir / "archive").string()});
  }
};

CommandResult publish(const fs::path& db, const std::string& uri, const std::string& batch = "2") {
  return run_tool("trialmill",
                  {"publish", "--quiet", "--db", db.string(), "--to", uri, "--batch", batch});
}

// "N sent" of the report line.
long sent(const CommandResult& result, const std::string& what = "sent") {
  std::smatch match;
  std::regex pattern("(\\d+) " + what);
  if (!std::regex_search(result.out, match, pattern)) return -1;
  return std::stol(match[1]);
}

std::vector<std::string> pg_rows(PgConnection& pg, const std::string& sql) {
  PgResult result = pg.query(sql);
  std::vector<std::string> out;
  for (int r = 0; r < result.rows(); ++r) {
    std::string row;
    for (int c = 0; c < result.columns(); ++c) {
      if (c) row += "|";
      row += result.is_null(r, c) ? std::string("NULL") : result.text(r, c);
    }
    out.push_back(row);
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

// SQLite values as text; REAL with the shortest text that reads back the same (PostgreSQL's
// float8 output does the same).
std::vector<std::string> sqlite_rows(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  std::vector<std::string> out;
  while (q.executeStep()) {
    std::string row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      if (i) row += "|";
      SQLite::Column column = q.getColumn(i);
      if (column.isNull()) {
        row += "NULL";
      } else if (column.getType() == SQLITE_FLOAT) {
        char buffer[64];
        auto end = std::to_chars(buffer, buffer + sizeof buffer, column.getDouble()).ptr;
        row.append(buffer, end);
      } else {
        row += column.getString();
      }
    }
    out.push_back(row);
  }
  return sorted(out);
}

std::vector<std::string> sqlite_tables(SQLite::Database& db) {
  std::vector<std::string> out;
  for (const auto& name :
       rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
    // source_confirmations: nightly bookkeeping keyed by source id, not trial; not published.
    if (name != "meta" && name != "source_confirmations" && name.rfind("sqlite_", 0) != 0 &&
        name.rfind("trials_fts", 0) != 0)
      out.push_back(name);
  return out;
}

// The PostgreSQL expression giving a column's value as SQLite writes it.
std::string as_sqlite_text(const std::string& column, const std::string& type) {
  const std::string c = pg_ident(column);
  if (type == "boolean") return "CASE WHEN " + c + " THEN '1' WHEN NOT " + c + " THEN '0' END";
  if (type == "timestamp with time zone")
    return "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
  return c + "::text";
}

// Every SQLite table (and trialmill's views) against its PostgreSQL copy, row by row.
void check_same_as_sqlite(const fs::path& db_path, const std::string& uri) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  PgConnection pg(uri);
  std::vector<std::string> relations = sqlite_tables(db);
  for (const char* view : {"trial_summary", "recruiting_by_condition", "recruiting_by_country"})
    relations.push_back(view);
  for (const std::string& table : relations) {
    std::vector<std::string> columns =
        rows(db, "SELECT name FROM pragma_table_info('" + table + "')");
    std::string sqlite_list, pg_list;
    for (const std::string& column : columns) {
      PgResult type = pg.query(
          "SELECT data_type FROM information_schema.columns WHERE table_schema = 'trialmill' "
          "AND table_name = $1 AND column_name = $2",
          {table, column});
      REQUIRE_MESSAGE(type.rows() == 1, table << "." << column << " missing in PostgreSQL");
      sqlite_list += (sqlite_list.empty() ? "" : ", ") + std::string("\"") + column + "\"";
      pg_list += (pg_list.empty() ? "" : ", ") + as_sqlite_text(column, type.text(0, 0));
    }
    auto expected = sqlite_rows(db, "SELECT " + sqlite_list + " FROM \"" + table + "\"");
    auto actual = sorted(pg_rows(pg, "SELECT " + pg_list + " FROM trialmill." + pg_ident(table)));
    CHECK_MESSAGE(actual.size() == expected.size(), table);
    CHECK_MESSAGE(actual == expected, table);
  }

  // The ctgov views: the same rows as the trialmill tables they show, in AACT's value forms.
  const std::string age =
      "CASE WHEN {v} IS NULL OR {u} IS NULL THEN 'N/A' ELSE "
      "(CASE WHEN {v} = CAST({v} AS INTEGER) THEN CAST(CAST({v} AS INTEGER) AS TEXT) "
      "ELSE CAST({v} AS TEXT) END) || ' ' || upper(substr({u}, 1, 1)) || lower(substr({u}, 2)) END";
  auto age_of = [&](const std::string& which) {
    std::string out = age;
    for (size_t at; (at = out.find("{v}")) != std::string::npos;)
      out.replace(at, 3, which + "_age_value");
    for (size_t at; (at = out.find("{u}")) != std::string::npos;)
      out.replace(at, 3, which + "_age_unit");
    return out;
  };
  const std::vector<std::pair<std::string, std::string>> views = {
      {"SELECT nct_id, brief_title, official_title, acronym, overall_status, phase, study_type, "
       "enrollment, enrollment_type, start_month_year, start_date, completion_month_year, "
       "primary_completion_month_year, source FROM ctgov.studies",
       "SELECT nct_id, brief_title, official_title, acronym, overall_status, "
       "replace(phases, '|', '/'), study_type, enrollment_count, enrollment_type, start_date, "
       "CASE length(start_date) WHEN 4 THEN start_date || '-01-01' WHEN 7 THEN start_date || "
       "'-01' ELSE start_date END, completion_date, primary_completion_date, lead_sponsor_name "
       "FROM trials"},
      {"SELECT nct_id, name, downcase_name FROM ctgov.conditions",
       "SELECT nct_id, name, lower(name) FROM trial_conditions"},
      {"SELECT nct_id, name FROM ctgov.keywords", "SELECT nct_id, keyword FROM trial_keywords"},
      {"SELECT nct_id, intervention_type, name, description FROM ctgov.interventions",
       "SELECT nct_id, type, name, description FROM trial_interventions"},
      {"SELECT nct_id, name, city, state, zip, country, status FROM ctgov.facilities",
       "SELECT nct_id, facility, city, state, zip, country, status FROM trial_locations"},
      {"SELECT nct_id, name FROM ctgov.countries",
       "SELECT DISTINCT nct_id, country FROM trial_locations WHERE country IS NOT NULL"},
      {"SELECT nct_id, agency_class, lead_or_collaborator, name FROM ctgov.sponsors",
       "SELECT nct_id, class, role, name FROM trial_sponsors"},
      {"SELECT nct_id, gender, minimum_age, maximum_age, criteria FROM ctgov.eligibilities",
       "SELECT nct_id, sex, " + age_of("minimum") + ", " + age_of("maximum") +
           ", eligibility_criteria FROM trials"},
      {"SELECT nct_id, group_type, title, description FROM ctgov.design_groups",
       "SELECT nct_id, type, label, description FROM trial_arms"},
      {"SELECT nct_id, outcome_type, measure, time_frame, description FROM ctgov.design_outcomes",
       "SELECT nct_id, kind, measure, time_frame, description FROM trial_outcomes"},
      {"SELECT nct_id, id_source, id_value FROM ctgov.id_information",
       "SELECT nct_id, CASE kind WHEN 'org_study_id' THEN 'org_study_id' ELSE 'secondary_id' END, "
       "value FROM trial_identifiers"},
      {"SELECT nct_id, description FROM ctgov.brief_summaries",
       "SELECT nct_id, brief_summary FROM trials WHERE brief_summary IS NOT NULL"},
      {"SELECT nct_id, description FROM ctgov.detailed_descriptions",
       "SELECT nct_id, detailed_description FROM trials WHERE detailed_description IS NOT NULL"},
      {"SELECT nct_id, allocation, intervention_model, primary_purpose, masking FROM ctgov.designs",
       "SELECT nct_id, allocation, intervention_model, primary_purpose, masking FROM trials "
       "WHERE coalesce(allocation, intervention_model, primary_purpose, masking) IS NOT NULL"},
      {"SELECT nct_id, role, name, affiliation FROM ctgov.overall_officials",
       "SELECT nct_id, role, name, affiliation FROM trial_officials"},
      {"SELECT nct_id, name, phone, email, role FROM ctgov.central_contacts",
       "SELECT nct_id, name, phone, email, role FROM trial_contacts WHERE location_ordinal IS "
       "NULL"},
      {"SELECT nct_id, responsible_party_type, name, affiliation FROM ctgov.responsible_parties",
       "SELECT nct_id, responsible_party_type, responsible_party_name, "
       "responsible_party_affiliation FROM trials WHERE coalesce(responsible_party_type, "
       "responsible_party_name, responsible_party_affiliation) IS NOT NULL"},
  };
  for (const auto& [pg_sql, sqlite_sql] : views) {
    auto expected = sqlite_rows(db, sqlite_sql);
    auto actual = sorted(pg_rows(pg, pg_sql));
    CHECK_MESSAGE(actual == expected, pg_sql);
  }
  CHECK(pg_rows(pg, "SELECT count(*) FROM ctgov.studies") ==
        rows(db, "SELECT count(*) FROM trials"));
}

// Every row of every table and view of the target (publish bookkeeping times left out).
std::string dump_target(const std::string& uri) {
  PgConnection pg(uri);
  std::string out;
  for (const std::string& relation :
       pg_rows(pg,
               "SELECT table_schema || '.' || table_name FROM information_schema.tables "
               "WHERE table_schema IN ('trialmill', 'ctgov') ORDER BY 1")) {
    std::string select = "SELECT t::text FROM " + relation + " t";
    if (relation == "trialmill.publish_state")
      select = "SELECT next_run_id || ' ' || target_sql FROM trialmill.publish_state";
    out += "## " + relation + "\n";
    for (const std::string& row : sorted(pg_rows(pg, select))) out += row + "\n";
  }
  return out;
}

// Per NCT ID, every row of every table keyed by it: what a publish would have to send.
std::map<std::string, std::string> trial_contents(const fs::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  std::map<std::string, std::string> out;
  for (const std::string& table : sqlite_tables(db)) {
    if (rows(db, "SELECT count(*) FROM pragma_table_info('" + table + "') WHERE name = 'nct_id'") !=
        std::vector<std::string>{"1"})
      continue;
    for (const std::string& row :
         rows(db, "SELECT nct_id, * FROM \"" + table + "\" ORDER BY 2, 3, 4"))
      out[row.substr(0, row.find('|'))] += table + ":" + row + "\n";
  }
  return out;
}

PgCluster* cluster_or_skip() {
  std::string why_not;
  PgCluster* cluster = shared_pg_cluster(why_not);
  if (!cluster) MESSAGE("skipped: " << why_not);
  return cluster;
}

}  // namespace

TEST_CASE(
    "publish: PostgreSQL holds what SQLite holds; nothing changed sends nothing; a change sends "
    "only its trials") {
  PgCluster* cluster = cluster_or_skip();
  if (!cluster) return;
  OfflineDatabase offline;
  REQUIRE(offline.nightly().exit_code == 0);
  const std::string uri = cluster->create_database("publish_main");

  auto first = publish(offline.db, uri);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(first.out.find("publish: first: 5 trials") == 0);
  CHECK(sent(first) == 5);
  check_same_as_sqlite(offline.db, uri);

  auto again = publish(offline.db, uri);
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.out.find("publish: incremental:") == 0);
  CHECK(sent(again) == 0);
  CHECK(sent(again, "runs sent") == 0);
  CHECK(sent(again, "rows") == 0);

  // A nightly run that finds everything unchanged: its run row goes, no trial.
  const auto before = trial_contents(offline.db);
  REQUIRE(offline.nightly().exit_code == 0);
  auto after_quiet_night = publish(offline.db, uri);
  CHECK(sent(after_quiet_night) == 0);
  CHECK(sent(after_quiet_night, "runs sent") == 1);
  CHECK(trial_contents(offline.db) == before);

  // A trial changes upstream (its Veeva page).
  fs::path veeva_page;
  for (const auto& entry : fs::directory_iterator(offline.root / "veeva" / "study"))
    if (read_text(entry.path()).find("NCT04433169") != std::string::npos) veeva_page = entry.path();
  REQUIRE_FALSE(veeva_page.empty());
  std::string page = read_text(veeva_page);
  REQUIRE(page.find("30 estimated patients") != std::string::npos);
  page.replace(page.find("30 estimated patients"), 21, "36 estimated patients");
  write_text(veeva_page, page);
  REQUIRE(offline.nightly().exit_code == 0);
  const auto after = trial_contents(offline.db);
  std::set<std::string> changed;
  for (const auto& [nct_id, content] : after)
    if (before.count(nct_id) == 0 || before.at(nct_id) != content) changed.insert(nct_id);
  REQUIRE(changed == std::set<std::string>{"NCT04433169"});

  auto incremental = publish(offline.db, uri);
  REQUIRE_MESSAGE(incremental.exit_code == 0, incremental.err);
  CHECK(sent(incremental) == 1);
  CHECK(sent(incremental, "trials changed since") == 1);
  check_same_as_sqlite(offline.db, uri);

  // A column added to a table by a newer schema (e.g. thresholds) travels with its values.
  {
    SQLite::Database db(offline.db.string(), SQLite::OPEN_READWRITE);
    db.exec("ALTER TABLE eligibility_thresholds ADD COLUMN source_note TEXT");
    db.exec(
        "UPDATE eligibility_thresholds SET source_note = 'n' || ordinal WHERE nct_id = "
        "'NCT03792542'");
  }
  SQLite::Database db_after(offline.db.string(), SQLite::OPEN_READONLY);
  auto widened = publish(offline.db, uri);
  REQUIRE_MESSAGE(widened.exit_code == 0, widened.err);
  // Every trial with thresholds rows: those rows have one more column now.
  CHECK(std::to_string(sent(widened)) ==
        rows(db_after, "SELECT count(DISTINCT nct_id) FROM eligibility_thresholds").front());
  check_same_as_sqlite(offline.db, uri);

  // A trial withdrawn from its sources (as nightly marks it): marked in the target, not deleted.
  {
    SQLite::Database db(offline.db.string(), SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE trials SET withdrawn_from_source_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
        "WHERE nct_id = 'NCT05549466'");
    db.exec(
        "INSERT INTO trial_changes (nct_id, field, old_value, new_value, changed_at) "
        "SELECT nct_id, 'withdrawn_from_source_at', 'null', '\"' || "
        "withdrawn_from_source_at || '\"', withdrawn_from_source_at FROM trials "
        "WHERE nct_id = 'NCT05549466'");
  }
  auto withdrawn = publish(offline.db, uri);
  REQUIRE_MESSAGE(withdrawn.exit_code == 0, withdrawn.err);
  CHECK(sent(withdrawn) == 1);
  check_same_as_sqlite(offline.db, uri);

  // Full-text search: a word of a condition finds its trial.
  PgConnection pg(uri);
  CHECK(pg_rows(pg, "SELECT count(*), count(withdrawn_from_source_at) FROM ctgov.studies") ==
        std::vector<std::string>{"5|1"});
  auto found = pg_rows(pg,
                       "SELECT nct_id FROM trialmill.trials WHERE search @@ "
                       "plainto_tsquery('english', 'myeloma')");
  CHECK(std::find(found.begin(), found.end(), "NCT06158412") != found.end());
  CHECK(std::find(found.begin(), found.end(), "NCT03792542") == found.end());  // a sarcoma trial
  // Thresholds by parameter and value.
  CHECK_FALSE(pg_rows(pg,
                      "SELECT nct_id FROM trialmill.eligibility_thresholds "
                      "WHERE parameter = 'HEMOGLOBIN' AND value <= 90")
                  .empty());
}

TEST_CASE(
    "publish: killed with -9 at five moments, then run again: the target ends identical to an "
    "uninterrupted publish") {
  PgCluster* cluster = cluster_or_skip();
  if (!cluster) return;
  OfflineDatabase offline;
  REQUIRE(offline.nightly().exit_code == 0);
  SQLite::Database db(offline.db.string(), SQLite::OPEN_READONLY);

  const std::string reference = cluster->create_database("publish_reference");
  REQUIRE(publish(offline.db, reference).exit_code == 0);
  const std::string expected = dump_target(reference);

  // Batches of 2 trials: 3 batches. Moments: schema made; mid-COPY of batch 1; batch 1
  // committed; mid-COPY of batch 3; runs and watermark written but not committed.
  int n = 0;
  for (const char* moment : {"schema:1", "copy:1", "commit:1", "copy:3", "state:1"}) {
    CAPTURE(moment);
    const std::string uri = cluster->create_database("publish_kill_" + std::to_string(n++));
    setenv("TRIALMILL_PUBLISH_FAULT", moment, 1);
    auto killed = publish(offline.db, uri);
    unsetenv("TRIALMILL_PUBLISH_FAULT");
    CHECK(killed.exit_code == 128 + 9);
    {
      // Never half a trial: every trial there has all of its rows.
      PgConnection pg(uri);
      for (const std::string& nct_id : pg_rows(pg, "SELECT nct_id FROM trialmill.trials"))
        CHECK(pg_rows(pg, "SELECT count(*) FROM trialmill.trial_conditions WHERE nct_id = '" +
                              nct_id + "'") ==
              rows(db, "SELECT count(*) FROM trial_conditions WHERE nct_id = '" + nct_id + "'"));
    }
    auto resumed = publish(offline.db, uri);
    REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
    CHECK(dump_target(uri) == expected);
  }
}

TEST_CASE(
    "publish: the AACT queries of tests/aact-queries give the same trials on ctgov as on "
    "trialmill's tables") {
  PgCluster* cluster = cluster_or_skip();
  if (!cluster) return;
  OfflineDatabase offline;
  REQUIRE(offline.nightly().exit_code == 0);
  const std::string uri = cluster->create_database("publish_aact");
  REQUIRE(publish(offline.db, uri, "500").exit_code == 0);
  PgConnection pg(uri);

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(source_dir() / "tests" / "aact-queries"))
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  CHECK(files.size() == 10);
  for (const fs::path& file : files) {
    CAPTURE(file.filename().string());
    const std::string text = read_text(file);
    const size_t split = text.find("-- trialmill\n");
    REQUIRE(split != std::string::npos);
    auto first_column = [&](const std::string& sql) {
      std::vector<std::string> ids;
      for (const std::string& row : pg_rows(pg, sql)) ids.push_back(row.substr(0, row.find('|')));
      return ids;
    };
    auto aact = first_column(text.substr(0, split));
    auto own = first_column(text.substr(split));
    CHECK_FALSE(aact.empty());
    CHECK(aact == own);
  }
}

TEST_CASE("publish: usage errors and an unreachable database or server exit 2 with the reason") {
  TempDir dir;
  auto no_target = run_tool("trialmill", {"publish", "--db", (dir / "x.db").string()});
  CHECK(no_target.exit_code == 2);
  CHECK(no_target.err.find("--to") != std::string::npos);
  auto no_db = run_tool("trialmill", {"publish", "--db", (dir / "missing.db").string(), "--to",
                                      "postgresql://nobody@/x?host=" + dir.path().string()});
  CHECK(no_db.exit_code == 2);
  CHECK(no_db.err.find("missing.db") != std::string::npos);
  auto help = run_tool("trialmill", {"publish", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--to") != std::string::npos);

  // A real database, and no server listening on the socket folder.
  OfflineDatabase offline;
  REQUIRE(offline.nightly().exit_code == 0);
  auto no_server =
      run_tool("trialmill", {"publish", "--db", offline.db.string(), "--to",
                             "postgresql://nobody@/x?host=" + dir.path().string() + "&port=1"});
  CHECK(no_server.exit_code == 2);
  CHECK(no_server.err.find("cannot connect to PostgreSQL") != std::string::npos);
}
