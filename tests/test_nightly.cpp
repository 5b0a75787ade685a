// `trialmill nightly`, `reingest` and `reparse` against a copy of the offline registry served on
// loopback: incremental reruns, the publish gate on a layout change, the lock, kills at any
// point, trials vanishing upstream, a reingest under a reader.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <set>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/publish_gate.hpp"
#include "trialmill/driver/reingest.hpp"
#include "trialmill/driver/lock_file.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// A copy of fixtures/registry that a test may change, served on a free loopback port.
struct RegistryCopy {
  TempDir dir;
  fs::path root = [this] {
    fs::copy(fixtures_dir() / "registry", dir / "registry", fs::copy_options::recursive);
    return dir / "registry";
  }();
  BackgroundTool server{"trialmill-registry-server", {root.string()}};
  std::string base = server.read_line().value_or("");
};

struct Nightly {
  RegistryCopy& registry;
  fs::path db;
  fs::path archive;

  std::vector<std::string> args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> out = {"nightly", "--config",
                                    (source_dir() / "config" / "offline.json").string(),
                                    "--base", registry.base, "--db", db.string(), "--archive",
                                    archive.string()};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }
  CommandResult run(std::vector<std::string> extra = {}) const {
    return run_tool("trialmill", args(std::move(extra)));
  }
};

// Rewrites the Veeva study pages as a redesign would: the same data under new headings.
void relayout_veeva(const fs::path& registry_root, bool keep_identifiers) {
  const std::vector<std::pair<std::string, std::string>> renames = {
      {"Status and phase", "Trial status"},     {"Conditions", "Diseases studied"},
      {"Treatments", "What is being tested"},   {"Study type", "Kind of study"},
      {"Enrollment", "Participants wanted"},    {"Sex", "Gender"},
      {"Ages", "Age range"},                    {"Inclusion criteria", "Who can join"},
      {"Exclusion criteria", "Who cannot join"}, {"Volunteers", "Healthy people"}};
  for (const auto& entry : fs::directory_iterator(registry_root / "veeva" / "study")) {
    std::string out;
    const std::string page = read_text(entry.path());
    for (std::string_view line : split(page, '\n')) {
      std::string text(line);
      for (const auto& [from, to] : renames)
        if (trim(text) == from) text = to;
      if (!keep_identifiers && trim(text) == "Identifiers") text = "Registry numbers";
      out += text + "\n";
    }
    write_text(entry.path(), out);
  }
}

// The canonical trials and the source records, without the times that differ between runs.
std::string data_of(const fs::path& db_path) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  std::string out;
  for (const auto& row : rows(db, "SELECT nct_id, content_hash, record_json FROM trials ORDER BY nct_id"))
    out += row + "\n";
  for (const auto& row : rows(db, "SELECT nct_id, format, url, record_hash FROM sources ORDER BY 1, 2, 3"))
    out += row + "\n";
  for (const auto& row : rows(db, "SELECT p.nct_id, p.field, s.format FROM field_provenance p "
                                  "JOIN sources s ON s.id = p.source_id ORDER BY 1, 2"))
    out += row + "\n";
  return out;
}

void check_consistent(const fs::path& db_path) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE);
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(rows(db, "PRAGMA foreign_key_check").empty());
  // The full-text index matches the trials it indexes (throws when it does not).
  CHECK_NOTHROW(db.exec("INSERT INTO trials_fts (trials_fts) VALUES ('integrity-check')"));
  CHECK(db.execAndGet("SELECT count(*) FROM runs WHERE status = 'running'").getInt() == 0);
}

struct EnvSetting {
  EnvSetting(const char* name, const std::string& value) : name_(name) { setenv(name, value.c_str(), 1); }
  ~EnvSetting() { unsetenv(name_); }
  const char* name_;
};

}  // namespace

TEST_CASE("nightly: a first run stores every trial, a second finds everything unchanged") {
  RegistryCopy registry;
  REQUIRE(registry.base.rfind("http://127.0.0.1:", 0) == 0);
  Nightly nightly{registry, registry.dir / "trials.db", registry.dir / "archive"};

  auto first = nightly.run({"--quiet"});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(first.err.empty());
  CHECK(first.out.find("nightly run 1: ok") == 0);
  CHECK(first.out.find("pages 8 fetched (0 unchanged), 8 parsed, 0 failed; trials 5 new, 0 changed") !=
        std::string::npos);
  std::string before = dump_database(nightly.db);

  auto second = nightly.run({"--log-format", "json"});
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  JsonDocument summary = parse_json(second.out, "summary");
  CHECK(get_string_or(summary, "status", "") == "ok");
  CHECK(summary["pages_fetched"].GetInt() == 8);
  CHECK(summary["pages_unchanged"].GetInt() == 8);
  CHECK(summary["trials_new"].GetInt() == 0);
  CHECK(summary["trials_changed"].GetInt() == 0);
  CHECK(summary["trials_unchanged"].GetInt() == 5);
  CHECK(summary["held"].GetArray().Size() == 0);
  CHECK(dump_database(nightly.db) == before);

  SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
  CHECK(rows(db, "SELECT id, status, pages_fetched, pages_unchanged, pages_parsed, pages_failed, "
                 "inserted, updated, unchanged FROM runs ORDER BY id") ==
        std::vector<std::string>{"1|ok|8|0|8|0|5|4|0", "2|ok|8|8|8|0|0|0|9"});
  CHECK(rows(db, "SELECT source, pages, records, trials, discovery_complete, held FROM run_sources "
                 "WHERE run_id = 2 ORDER BY source") ==
        std::vector<std::string>{"ctgov|2|3|3|1|0", "ctgov-classic|1|1|1|1|0",
                                 "generic|1|1|1|1|0", "meddatax|1|1|1|1|0", "trialx|1|1|1|1|0",
                                 "veeva|2|2|2|1|0"});
  CHECK_FALSE(fs::exists(fs::path(nightly.db.string() + ".held")));
  check_consistent(nightly.db);
}

TEST_CASE("nightly: a Veeva layout change is held by the publish gate and the database is unchanged") {
  RegistryCopy registry;
  Nightly nightly{registry, registry.dir / "trials.db", registry.dir / "archive"};
  REQUIRE(nightly.run({"--quiet"}).exit_code == 0);
  const std::string before = dump_database(nightly.db);

  SUBCASE("pages that no longer parse") {
    relayout_veeva(registry.root, false);
    auto held = nightly.run();
    CHECK(held.exit_code == kExitHeld);
    CHECK(held.out.find(": held in ") != std::string::npos);
    CHECK(held.out.find("(held: veeva: 2 of 2 pages failed to parse") != std::string::npos);
    CHECK(held.err.find("trialmill nightly: error: veeva: held by the publish gate") !=
          std::string::npos);
    CHECK(dump_database(nightly.db) == before);
    SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
    CHECK(rows(db, "SELECT status FROM runs WHERE id = 2") == std::vector<std::string>{"held"});
    CHECK(rows(db, "SELECT source FROM run_sources WHERE run_id = 2 AND held = 1") ==
          std::vector<std::string>{"veeva"});
  }

  SUBCASE("pages that parse with fields missing: the records are kept for inspection, then forced") {
    relayout_veeva(registry.root, true);
    auto held = nightly.run();
    CHECK(held.exit_code == kExitHeld);
    CHECK(held.out.find("veeva: 2 of 2 records lost fields their stored record had") !=
          std::string::npos);
    CHECK(held.err.find("lost fields its stored record has: ") != std::string::npos);
    CHECK(dump_database(nightly.db) == before);
    fs::path kept = fs::path(nightly.db.string() + ".held") / "run-2" / "veeva.jsonl";
    REQUIRE(fs::exists(kept));
    CHECK(split_trimmed(read_text(kept), "\n").size() == 2);

    // The held run's records stay until an operator decides; a later held run does not touch them.
    auto again = nightly.run({"--quiet"});
    CHECK(again.exit_code == kExitHeld);
    CHECK(fs::exists(kept));

    // --force applies them: the never-blank rule still keeps every stored value.
    auto forced = nightly.run({"--force"});
    CHECK_MESSAGE(forced.exit_code == 0, forced.err);
    CHECK(forced.err.find("publish gate overridden by --force") != std::string::npos);
    check_consistent(nightly.db);
    SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
    CHECK(rows(db, "SELECT count(*) FROM trials WHERE brief_title IS NULL OR overall_status IS NULL") ==
          std::vector<std::string>{"0"});
  }
}

TEST_CASE("nightly: a second run exits 2 while the first holds the lock; a killed run's lock is taken over") {
  RegistryCopy registry;
  Nightly nightly{registry, registry.dir / "trials.db", registry.dir / "archive"};
  {
    RunLock held(lock_path_for(nightly.db.string()), "trialmill nightly (test)");
    auto blocked = nightly.run();
    CHECK(blocked.exit_code == kExitUsage);
    CHECK(blocked.err.find("cannot start: another run holds") != std::string::npos);
    CHECK(blocked.err.find("trialmill nightly (test)") != std::string::npos);
    CHECK_FALSE(fs::exists(nightly.db));
  }
  // What a kill -9 leaves: the note, no lock.
  write_text(lock_path_for(nightly.db.string()), "pid 99999, trialmill nightly, since 2026-11-21T01:00:00Z\n");
  auto run = nightly.run();
  CHECK_MESSAGE(run.exit_code == 0, run.err);
  CHECK(run.err.find("a killed run left its lock note (pid 99999") != std::string::npos);
  CHECK(read_text(lock_path_for(nightly.db.string())).empty());
}

TEST_CASE("nightly: killed during fetch or during store, the next run completes and nothing is lost") {
  RegistryCopy registry;
  Nightly reference{registry, registry.dir / "reference.db", registry.dir / "reference-archive"};
  REQUIRE(reference.run({"--quiet"}).exit_code == 0);
  const std::string expected = data_of(reference.db);

  auto check_recovers = [&](const Nightly& nightly) {
    auto next = nightly.run();
    CHECK_MESSAGE(next.exit_code == 0, next.err);
    CHECK(data_of(nightly.db) == expected);
    check_consistent(nightly.db);
    auto after = nightly.run({"--quiet"});
    CHECK(after.exit_code == 0);
    CHECK(after.out.find("trials 0 new, 0 changed, 5 unchanged") != std::string::npos);
  };

  for (const std::string point : {"fetch:1", "fetch:4", "store:1", "store:3", "store:7"}) {
    CAPTURE(point);
    TempDir dir;
    Nightly nightly{registry, dir / "trials.db", dir / "archive"};
    {
      EnvSetting kill("TRIALMILL_TEST_KILL_AT", point);
      auto killed = nightly.run({"--batch", "1", "--quiet"});
      REQUIRE(killed.exit_code != 0);
    }
    if (point.starts_with("store")) {
      SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
      CHECK(rows(db, "SELECT status FROM runs") == std::vector<std::string>{"running"});
    }
    auto next = nightly.run();
    CHECK(next.err.find("1 earlier run(s) were killed before they ended; marked interrupted") !=
          std::string::npos);
    check_recovers(nightly);
  }

  // And at moments nobody chose: SIGKILL after a random delay within a run's duration.
  std::mt19937 rng(20261122);
  for (int i = 0; i < 4; ++i) {
    TempDir dir;
    Nightly nightly{registry, dir / "trials.db", dir / "archive"};
    int delay_ms = std::uniform_int_distribution<int>(0, 600)(rng);
    CAPTURE(delay_ms);
    {
      BackgroundTool run("trialmill", nightly.args({"--batch", "1", "--quiet"}));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      run.kill_now();
    }
    check_recovers(nightly);
  }
}

TEST_CASE("nightly: a trial no longer listed upstream is marked withdrawn from source, and unmarked when it returns") {
  RegistryCopy registry;
  Nightly nightly{registry, registry.dir / "trials.db", registry.dir / "archive"};
  REQUIRE(nightly.run({"--quiet"}).exit_code == 0);

  const fs::path listing = registry.root / "trialx" / "listing.html";
  const std::string original = read_text(listing);
  std::string without = original;
  for (size_t at; (at = without.find("NCT06935188")) != std::string::npos;) without.replace(at, 11, "");
  write_text(listing, without);
  // The listing now names no trial. Not a failure (a source may legitimately empty), but the
  // publish gate holds the fall to zero and nothing is marked...
  auto empty_listing = nightly.run({"--quiet"});
  CHECK(empty_listing.exit_code == kExitHeld);
  CHECK(empty_listing.err.find("trials fell from 1 to 0") != std::string::npos);
  {
    SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
    CHECK(rows(db, "SELECT count(*) FROM trials WHERE withdrawn_from_source_at IS NOT NULL") ==
          std::vector<std::string>{"0"});
  }
  // ...until the operator confirms it: then the source's last trial is marked withdrawn.
  auto emptied = nightly.run({"--quiet", "--force"});
  CHECK_MESSAGE(emptied.exit_code == 0, emptied.err);
  {
    SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
    CHECK(rows(db, "SELECT nct_id FROM trials WHERE withdrawn_from_source_at IS NOT NULL") ==
          std::vector<std::string>{"NCT06935188"});
  }

  // A listing that names another trial instead: NCT06935188 vanished from its only source.
  std::string other = original;
  for (size_t at; (at = other.find("NCT06935188")) != std::string::npos;) other.replace(at, 11, "NCT06158412");
  write_text(listing, other);
  auto vanished = nightly.run({"--quiet", "--force"});
  CHECK_MESSAGE(vanished.exit_code == 1, vanished.err);  // the new lookup page does not exist
  {
    SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
    CHECK(rows(db, "SELECT nct_id FROM trials WHERE withdrawn_from_source_at IS NOT NULL") ==
          std::vector<std::string>{"NCT06935188"});
    CHECK(rows(db, "SELECT count(*) FROM trials") == std::vector<std::string>{"5"});
    CHECK(rows(db, "SELECT field, old_value, new_value IS NOT NULL FROM trial_changes "
                   "WHERE nct_id = 'NCT06935188'") ==
          std::vector<std::string>{"withdrawn_from_source_at|null|1"});
    CHECK(rows(db, "SELECT count(*) FROM recruiting_by_condition WHERE nct_id = 'NCT06935188'") ==
          std::vector<std::string>{"0"});
  }

  write_text(listing, original);
  auto back = nightly.run({"--quiet"});
  CHECK_MESSAGE(back.exit_code == 0, back.err);
  SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
  CHECK(rows(db, "SELECT count(*) FROM trials WHERE withdrawn_from_source_at IS NOT NULL") ==
        std::vector<std::string>{"0"});
  CHECK(rows(db, "SELECT count(*) FROM sources WHERE vanished_at IS NOT NULL") ==
        std::vector<std::string>{"0"});
}

TEST_CASE("reingest: a changed trial, refetched from every source while a reader loops, prints its record and changes") {
  RegistryCopy registry;
  Nightly nightly{registry, registry.dir / "trials.db", registry.dir / "archive"};
  REQUIRE(nightly.run({"--quiet"}).exit_code == 0);

  // The trial changes upstream on the Veeva page (no lookup URL: refetched from its stored URL).
  fs::path veeva_page;
  for (const auto& entry : fs::directory_iterator(registry.root / "veeva" / "study"))
    if (read_text(entry.path()).find("NCT04433169") != std::string::npos) veeva_page = entry.path();
  REQUIRE_FALSE(veeva_page.empty());
  std::string page = read_text(veeva_page);
  REQUIRE(page.find("30 estimated patients") != std::string::npos);
  page.replace(page.find("30 estimated patients"), 21, "36 estimated patients");
  write_text(veeva_page, page);

  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, errors{0};
  std::thread reader([&] {
    try {
      SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY, 5000);
      while (!done) {
        try {
          SQLite::Statement q(db, "SELECT t.nct_id, t.enrollment_count, "
                                  "(SELECT count(*) FROM trial_conditions c WHERE c.nct_id = t.nct_id) "
                                  "FROM trials t");
          int n = 0;
          while (q.executeStep()) {
            ++n;
            if (q.getColumn(2).getInt() == 0) ++errors;  // a half-written trial
          }
          if (n != 5) ++errors;
          ++reads;
        } catch (const std::exception&) {
          ++errors;
        }
      }
    } catch (const std::exception&) {
      ++errors;
    }
  });
  auto result = run_tool("trialmill", {"reingest", "--config",
                                       (source_dir() / "config" / "offline.json").string(),
                                       "--base", registry.base, "--db", nightly.db.string(),
                                       "--archive", nightly.archive.string(), "nct04433169"});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  done = true;
  reader.join();
  CHECK(errors == 0);
  CHECK(reads > 0);
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);

  JsonDocument report = parse_json(result.out, "reingest output");
  CHECK(get_string_or(report, "nct_id", "") == "NCT04433169");
  std::set<std::string> formats;
  for (const auto& item : report["stored"].GetArray()) formats.insert(get_string_or(item, "format", ""));
  CHECK(formats == std::set<std::string>{"ctgov-v2-json", "veeva"});
  // The API record outranks the Veeva page for enrollment: the canonical trial keeps its value,
  // and the page's change is kept with its source.
  CHECK(report["record"]["nct_id"] == "NCT04433169");
  CHECK(report["changes"].IsArray());
  SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
  CHECK(rows(db, "SELECT json_extract(record_json, '$.enrollment.count') FROM sources "
                 "WHERE nct_id = 'NCT04433169' AND format = 'veeva'") ==
        std::vector<std::string>{"36"});
  CHECK(rows(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1") == std::vector<std::string>{"ok"});
}

TEST_CASE("reingest and reparse: usage errors and an unknown trial") {
  CHECK_THROWS_AS(parse_options(declare_reingest_options, {"--config", "c", "--db", "d"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_reingest_options, {"--config", "c", "--db", "d", "NCT123"}), UsageError);
  CHECK(parse_options(declare_reingest_options, {"--config", "c", "--db", "d", "nct04433169", "NCT04433169"}).nct_ids ==
        std::vector<std::string>{"NCT04433169"});
  CHECK_THROWS_AS(parse_options(declare_nightly_options, {"--db", "d"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_nightly_options, {"--config", "c", "--db", "d", "--since", "2026-13-01"}),
                  UsageError);
  CHECK_THROWS_AS(parse_options(declare_nightly_options, {"--config", "c", "--db", "d", "--batch", "0"}), UsageError);
  CHECK(parse_options(declare_nightly_options, {"--config", "c", "--db", "x/t.db"}).batch == 500);
  CHECK(default_archive_dir("x/t.db") == "x/archive");
  CHECK(default_archive_dir("t.db") == "archive");

  RegistryCopy registry;
  Nightly nightly{registry, registry.dir / "trials.db", registry.dir / "archive"};
  REQUIRE(nightly.run({"--quiet"}).exit_code == 0);
  auto unknown = run_tool("trialmill", {"reingest", "--config",
                                        (source_dir() / "config" / "offline.json").string(),
                                        "--base", registry.base, "--db", nightly.db.string(),
                                        "--archive", nightly.archive.string(), "NCT00000001"});
  CHECK(unknown.exit_code == kExitInputsFailed);
  CHECK(unknown.err.find("NCT00000001: no source gave a record for this trial") != std::string::npos);

  // reparse: the archive gives the same records again; a missing archived page is named.
  auto reparse = run_tool("trialmill", {"reparse", "--db", nightly.db.string(), "--archive",
                                        nightly.archive.string()});
  CHECK_MESSAGE(reparse.exit_code == 0, reparse.err);
  CHECK(reparse.out.find("pages 8 reparsed, 0 failed; records 9: 0 new, 0 changed, 9 unchanged") !=
        std::string::npos);
  {
    SQLite::Database db(nightly.db.string(), SQLite::OPEN_READONLY);
    std::string sha = rows(db, "SELECT sha256 FROM sources WHERE format = 'aggregator-trialx'").at(0);
    fs::remove(nightly.archive / sha.substr(0, 2) / sha.substr(2, 2) / sha);
  }
  auto missing = run_tool("trialmill", {"reparse", "--db", nightly.db.string(), "--archive",
                                        nightly.archive.string(), "--format", "aggregator-trialx"});
  CHECK(missing.exit_code == kExitInputsFailed);
  CHECK(missing.err.find("is missing from") != std::string::npos);
  auto no_archive = run_tool("trialmill", {"reparse", "--db", nightly.db.string(), "--archive",
                                           (registry.dir / "nowhere").string()});
  CHECK(no_archive.exit_code == kExitUsage);
}

TEST_CASE("publish gate: thresholds and verdicts") {
  SourceRunFigures previous;
  previous.records = 100;
  previous.trials = 100;
  previous.discovery_complete = true;
  SourceRunFigures now = previous;
  GateThresholds limits;
  CHECK_FALSE(gate_verdict(&previous, now, limits));
  CHECK_FALSE(gate_verdict(nullptr, now, limits));

  now.records = 85;
  now.parse_failed = 15;  // 15 % of items, previous 0 %
  now.trials = 95;
  auto verdict = gate_verdict(&previous, now, limits);
  REQUIRE(verdict);
  CHECK(*verdict == "15 of 100 pages failed to parse (15%, previous run 0%)");
  previous.parse_failed = 10;  // 10 % before: an increase of 5 points passes
  previous.records = 90;
  CHECK_FALSE(gate_verdict(&previous, now, limits));

  now = previous;
  now.trials = 80;
  CHECK(*gate_verdict(&previous, now, limits) == "trials fell from 100 to 80 (-20%, limit 10%)");
  now.discovery_complete = false;  // incremental or cut short: fewer trials is expected
  CHECK_FALSE(gate_verdict(&previous, now, limits));

  now = previous;
  now.records_compared = 50;
  now.records_lost_fields = 6;
  CHECK(*gate_verdict(nullptr, now, limits) ==
        "6 of 50 records lost fields their stored record had (12%, limit 10%)");

  JsonDocument config = parse_json(
      R"({"publish_gate": {"max_lost_fields_share": 0.5, "sources": {"veeva": {"max_trial_drop_share": 0.3}}}})",
      "config");
  GateThresholds veeva = gate_thresholds(&config, "veeva");
  CHECK(veeva.max_lost_fields_share == doctest::Approx(0.5));
  CHECK(veeva.max_trial_drop_share == doctest::Approx(0.3));
  CHECK(gate_thresholds(&config, "ctgov").max_trial_drop_share == doctest::Approx(0.1));
  JsonDocument bad = parse_json(R"({"publish_gate": {"max_lost_fields_share": 2}})", "config");
  CHECK_THROWS_AS(gate_thresholds(&bad, "veeva"), UsageError);

  JsonDocument stored = parse_json(R"({"brief_title": "T", "conditions": ["A"], "locations": [{}]})", "s");
  JsonDocument incoming = parse_json(R"({"brief_title": "T", "conditions": [], "locations": []})", "i");
  CHECK(lost_watched_fields(stored, incoming) == std::vector<std::string_view>{"conditions"});
}
