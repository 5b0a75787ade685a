// Readers beside a running writer: a read-only connection looping over queries while
// trialmill-store stores 10,000 trials must see no error (SQLITE_BUSY included) and only whole
// batches — never a half-written trial. Bounded by the writer, at most ~60 s; no timing asserts.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"

namespace {

using namespace trialmill;
using trialmill::test::set;
using trialmill::test::run_tool;
using trialmill::test::TempDir;

constexpr int kTrials = 10000;
constexpr int kBatch = 250;

std::string nct_of(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "NCT%08d", 10000000 + i);
  return buf;
}

// Trial i has 1 + i % 4 conditions, so every snapshot has a known number of condition rows.
int conditions_of(int i) {
  return 1 + i % 4;
}


// A template record with every contract field present, valid for validate_trial_record.
JsonDocument template_record() {
  JsonDocument doc = empty_trial_record();
  set(doc, "overall_status", R"("RECRUITING")");
  set(doc, "phases", R"(["PHASE2"])");
  set(doc, "study_type", R"("INTERVENTIONAL")");
  set(doc, "brief_summary", R"("A synthetic trial for the reader safety test.")");
  set(doc, "enrollment", R"({"count": 40, "type": "ESTIMATED"})");
  set(doc, "inclusion_criteria", R"(["Adults", "Consent"])");
  set(doc, "lead_sponsor", R"({"name": "Test Sponsor", "class": "OTHER"})");
  set(doc, "locations", R"([{"facility": "Site", "city": "Lyon", "state": null, "zip": null,
                            "country": "France", "status": "RECRUITING", "contacts": []}])");
  set(doc, "source", R"({"format": "ctgov-v2-json", "url": null,
                         "fetched_at": "2026-01-01T00:00:00Z"})");
  return doc;
}

std::string synthetic_records() {
  JsonDocument base = template_record();
  std::string out;
  for (int i = 0; i < kTrials; ++i) {
    JsonDocument r;
    r.CopyFrom(base, r.GetAllocator());
    auto& alloc = r.GetAllocator();
    set_string(r, "nct_id", nct_of(i), alloc);
    set_string(r, "brief_title", "Synthetic trial " + std::to_string(i), alloc);
    JsonValue conditions(rapidjson::kArrayType);
    for (int c = 0; c < conditions_of(i); ++c)
      conditions.PushBack(make_string("Condition " + std::to_string((i + c) % 97), alloc), alloc);
    set_member(r, "conditions", std::move(conditions), alloc);
    if (i == 0) REQUIRE(validate_trial_record(r).empty());
    out += to_json(r);
    out += '\n';
  }
  return out;
}

struct ReaderReport {
  int iterations = 0;
  int errors = 0;
  int inconsistencies = 0;
  int partial_snapshots = 0;  // snapshots taken while the writer was part-way
  std::string first_problem;
};

void note(ReaderReport& report, int& counter, const std::string& what) {
  ++counter;
  if (report.first_problem.empty()) report.first_problem = what;
}

// One read transaction: the count, the join, and one sampled trial all from the same snapshot.
void read_once(SQLite::Database& db, std::mt19937& random, int& last_count, ReaderReport& report) {
  SQLite::Transaction snapshot(db);
  const int trials = db.execAndGet("SELECT count(*) FROM trials").getInt();
  if (trials < last_count || (trials % kBatch != 0 && trials != kTrials))
    note(report, report.inconsistencies,
         "trial count " + std::to_string(trials) + " after " + std::to_string(last_count));
  last_count = trials;
  if (trials > 0 && trials < kTrials) ++report.partial_snapshots;

  // Trials are written in order, so a snapshot of n trials holds exactly their conditions.
  int64_t expected_rows = 0;
  for (int i = 0; i < trials; ++i) expected_rows += conditions_of(i);
  const int64_t joined = db.execAndGet(
                               "SELECT count(*) FROM trials t JOIN trial_conditions c "
                               "ON c.nct_id = t.nct_id")
                             .getInt64();
  if (joined != expected_rows)
    note(report, report.inconsistencies,
         "join has " + std::to_string(joined) + " rows for " + std::to_string(trials) + " trials");
  if (trials == 0) return;

  const std::string nct = nct_of(static_cast<int>(random() % static_cast<unsigned>(trials)));
  SQLite::Statement record(db, "SELECT record_json FROM trials WHERE nct_id = ?");
  record.bind(1, nct);
  if (!record.executeStep()) {
    note(report, report.inconsistencies, nct + " missing");
    return;
  }
  JsonDocument json = parse_json(record.getColumn(0).getString(), nct);
  SQLite::Statement rows(db, "SELECT count(*) FROM trial_conditions WHERE nct_id = ?");
  rows.bind(1, nct);
  rows.executeStep();
  if (rows.getColumn(0).getInt64() != static_cast<int64_t>(json["conditions"].Size()))
    note(report, report.inconsistencies, nct + ": condition rows differ from its record_json");
  SQLite::Statement search(db, "SELECT count(*) FROM trials_fts WHERE trials_fts MATCH ?");
  search.bind(1, "nct_id:" + nct);
  search.executeStep();
  if (search.getColumn(0).getInt() != 1)
    note(report, report.inconsistencies, nct + " is not found exactly once in trials_fts");
}

}  // namespace

TEST_CASE("store concurrency: a reader beside trialmill-store sees no error and whole batches") {
  TempDir dir;
  const std::string path = (dir / "trials.db").string();
  { TrialStore create(path); }  // the reader opens an existing WAL database
  const std::string input = synthetic_records();

  std::atomic<bool> writer_done{false};
  trialmill::test::CommandResult written;
  std::thread writer([&] {
    written = run_tool("trialmill-store", {"--db", path, "--batch", std::to_string(kBatch)}, input);
    writer_done = true;
  });

  ReaderReport report;
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    std::mt19937 random(42);
    int last_count = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    // One more pass after the writer ends, so the final state is checked too.
    for (bool last = false; !last;) {
      last = writer_done.load() || std::chrono::steady_clock::now() > deadline;
      try {
        read_once(db, random, last_count, report);
      } catch (const std::exception& e) {
        note(report, report.errors, e.what());
      }
      ++report.iterations;
    }
  }
  writer.join();

  CAPTURE(report.first_problem);
  CHECK(written.exit_code == 0);
  CHECK(written.err.find("stored 10000 records: 10000 new") != std::string::npos);
  CHECK(report.errors == 0);
  CHECK(report.inconsistencies == 0);
  CHECK(report.iterations >= 10);
  CHECK(report.partial_snapshots > 0);  // the reader really ran beside the writer
  MESSAGE("reader: ", report.iterations, " iterations, ", report.partial_snapshots,
          " taken mid-run, ", report.errors, " errors, ", report.inconsistencies,
          " inconsistencies");

  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  CHECK(db.execAndGet("SELECT count(*) FROM trials").getInt() == kTrials);
  CHECK(db.execAndGet("SELECT status || ' ' || inserted FROM runs").getString() == "ok 10000");
  CHECK_NOTHROW(db.exec("INSERT INTO trials_fts (trials_fts) VALUES ('integrity-check')"));
}
