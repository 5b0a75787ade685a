// The fault harness (issue 17): kill -9 at random moments (fixed seed) of trialmill-store,
// trialmill load, trialmill nightly against the offline registry, and trialmill-store
// --precedence; after each kill an integrity check, a rerun, and the database must equal a clean
// run's: the same trial count and the same hash of its export without fetch times. Then a run
// on a full disk (a file-size limit), skipped where the machine does not allow one.
// Run by CTest as its own test ("fault-harness"), so its report is one `ctest -V -R fault` away.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <regex>
#include <thread>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// What two databases must agree on: the trial count, and a hash of the export with the fetch
// times (which differ between runs) taken out.
struct Snapshot {
  long trials = -1;
  std::string export_hash;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const fs::path& db) {
  Snapshot s;
  {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    s.trials = d.execAndGet("SELECT count(*) FROM trials").getInt64();
  }
  auto exported = run_tool("trialmill-export", {"--db", db.string(), "--quiet"});
  REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
  static const std::regex fetched(R"("fetched_at":("[^"]*"|null))");
  s.export_hash = sha256_hex(std::regex_replace(exported.out, fetched, "\"fetched_at\":-"));
  return s;
}

// Right after a kill only SQLite's own check applies: a killed bulk load has its indexes dropped
// (the next run builds them), a killed first run may have no schema yet. After the rerun, the
// foreign keys and the full-text index must hold too.
void check_integrity(const fs::path& db, bool after_rerun) {
  SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
  CHECK(d.execAndGet("PRAGMA integrity_check").getString() == "ok");
  if (!after_rerun) return;
  CHECK(rows(d, "PRAGMA foreign_key_check").empty());
  CHECK_NOTHROW(d.exec("INSERT INTO trials_fts (trials_fts) VALUES ('integrity-check')"));
}

// Starts `tool args`, sends SIGKILL after `delay`; true when the kill found it running.
bool run_and_kill(const std::string& tool, const std::vector<std::string>& args,
                  std::chrono::milliseconds delay) {
  BackgroundTool run(tool, args);
  std::this_thread::sleep_for(delay);
  bool alive = ::waitpid(run.pid(), nullptr, WNOHANG) == 0;
  run.kill_now();
  return alive;
}

double seconds_of(const std::function<void()>& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Study JSON pages: the fixture study under `count` NCT IDs, `per_page` to a page.
std::vector<std::string> api_pages(const fs::path& dir, size_t count, size_t per_page) {
  const std::string study = read_text(fixtures_dir() / "registry/api/v2/studies/NCT04433169.json");
  std::vector<std::string> files;
  for (size_t first = 0; first < count; first += per_page) {
    std::string page = R"({"studies": [)";
    for (size_t i = first; i < std::min(count, first + per_page); ++i) {
      std::string copy = study;
      std::string id = str_cat("NCT", 20000000 + i);
      for (size_t at; (at = copy.find("NCT04433169")) != std::string::npos;)
        copy.replace(at, 11, id);
      page += (i == first ? "" : ",") + copy;
    }
    page += "]}";
    fs::path file = dir / str_cat("page-", first / per_page, ".json");
    write_text(file, page);
    files.push_back(file.string());
  }
  return files;
}

// Normalized records of two formats per trial, so that a precedence change changes trials.
std::string two_format_records(size_t trials) {
  std::string out;
  for (size_t i = 0; i < trials; ++i) {
    std::string id = str_cat("NCT", 30000000 + i);
    JsonDocument api = make_record(id, "ctgov-v2-json");
    set(api, "brief_title", json_quote(str_cat("API title ", i)));
    set(api, "conditions", R"(["Asthma"])");
    JsonDocument page = make_record(id, "veeva", "https://ctv.veeva.com/study/" + id);
    set(page, "brief_title", json_quote(str_cat("Veeva title ", i)));
    set(page, "conditions", R"(["Bronchial asthma"])");
    out += to_json(api) + "\n" + to_json(page) + "\n";
  }
  return out;
}

struct Tally {
  int kills = 0, finished_first = 0, comparisons = 0;
};

// One workload: `command(db)` is the run to kill; `rerun(db)` what finishes it; every kill at a
// moment drawn from [0, clean duration) must end, after the rerun, equal to the clean run.
void harness(
    const char* name, int rounds, std::mt19937& rng, const TempDir& dir,
    const std::function<std::pair<std::string, std::vector<std::string>>(const fs::path&)>& command,
    const std::function<void(const fs::path&)>& prepare,
    const std::function<void(const fs::path&)>& rerun, Tally& total) {
  const fs::path clean = dir / str_cat(name, "-clean.db");
  prepare(clean);
  auto [tool, args] = command(clean);
  double clean_s = seconds_of([&] {
    auto r = run_tool(tool, args);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  });
  const Snapshot expected = snapshot(clean);
  Tally tally;
  for (int i = 0; i < rounds; ++i) {
    const fs::path db = dir / str_cat(name, "-", i, ".db");
    prepare(db);
    auto [t, a] = command(db);
    auto delay = std::chrono::milliseconds(
        std::uniform_int_distribution<int>(0, std::max(1, static_cast<int>(clean_s * 1000)))(rng));
    CAPTURE(name);
    CAPTURE(delay.count());
    if (run_and_kill(t, a, delay))
      ++tally.kills;
    else
      ++tally.finished_first;
    // Killed before it made the database (a slow start: a sanitizer build, a busy machine):
    // nothing to check yet; the rerun must still end equal to the clean run.
    if (fs::exists(db)) check_integrity(db, false);
    rerun(db);
    check_integrity(db, true);
    CHECK(snapshot(db) == expected);
    ++tally.comparisons;
  }
  std::printf(
      "fault harness: %-10s clean run %.2f s, %d SIGKILLs at random moments (%d runs had "
      "finished first), %d reruns compared with the clean run: trial count %ld and the "
      "export hash %.12s...\n",
      name, clean_s, tally.kills, tally.finished_first, tally.comparisons, expected.trials,
      expected.export_hash.c_str());
  total.kills += tally.kills;
  total.finished_first += tally.finished_first;
  total.comparisons += tally.comparisons;
}

struct Registry {
  TempDir dir;
  BackgroundTool server{"trialmill-registry-server", {(fixtures_dir() / "registry").string()}};
  std::string base = server.read_line().value_or("");
};

}  // namespace

TEST_CASE("fault harness: kill -9 at random moments of store, load, nightly and --precedence") {
  auto start = std::chrono::steady_clock::now();
  std::mt19937 rng(17);  // fixed: the same moments on every run
  TempDir dir;
  Tally total;
  auto nothing = [](const fs::path&) {};

  // trialmill-store: 1,500 records in batches of 50.
  std::string records;
  for (size_t i = 0; i < 1500; ++i) {
    JsonDocument r = make_record(str_cat("NCT", 10000000 + i));
    set(r, "brief_title", json_quote(str_cat("Study ", i)));
    set(r, "conditions", R"(["Asthma", "COPD"])");
    records += to_json(r) + "\n";
  }
  const fs::path records_file = dir / "records.jsonl";
  write_text(records_file, records);
  auto store = [&](const fs::path& db) {
    return std::pair<std::string, std::vector<std::string>>(
        "trialmill-store",
        {"--db", db.string(), "--batch", "50", "--quiet", records_file.string()});
  };
  harness(
      "store", 5, rng, dir, store, nothing,
      [&](const fs::path& db) {
        auto r = run_tool(store(db).first, store(db).second);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
      },
      total);

  // trialmill load: 600 API studies in pages of 50.
  const fs::path pages_dir = dir / "pages";
  fs::create_directory(pages_dir);
  const auto pages = api_pages(pages_dir, 600, 50);
  auto load = [&](const fs::path& db) {
    std::vector<std::string> args = {"load", "--db", db.string(), "--batch", "25", "--quiet"};
    args.insert(args.end(), pages.begin(), pages.end());
    return std::pair<std::string, std::vector<std::string>>("trialmill", args);
  };
  harness(
      "load", 5, rng, dir, load, nothing,
      [&](const fs::path& db) {
        auto r = run_tool(load(db).first, load(db).second);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
      },
      total);

  // trialmill nightly against the offline registry on loopback.
  Registry registry;
  REQUIRE(registry.base.rfind("http://127.0.0.1:", 0) == 0);
  auto nightly = [&](const fs::path& db) {
    return std::pair<std::string, std::vector<std::string>>(
        "trialmill", {"nightly", "--config", (source_dir() / "config" / "offline.json").string(),
                      "--base", registry.base, "--db", db.string(), "--archive",
                      db.string() + ".archive", "--batch", "1", "--quiet"});
  };
  harness(
      "nightly", 4, rng, dir, nightly, nothing,
      [&](const fs::path& db) {
        auto r = run_tool(nightly(db).first, nightly(db).second);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
      },
      total);

  // trialmill-store --precedence over 400 trials of two formats; "any command" finishes it.
  const fs::path two_formats = dir / "two-formats.jsonl";
  write_text(two_formats, two_format_records(400));
  auto prepare = [&](const fs::path& db) {
    auto r = run_tool("trialmill-store", {"--db", db.string(), "--quiet", two_formats.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  };
  auto precedence = [&](const fs::path& db) {
    return std::pair<std::string, std::vector<std::string>>(
        "trialmill-store",
        {"--db", db.string(), "--batch", "10", "--precedence", "veeva, ctgov-v2-json"});
  };
  // After a kill the database is under the old order or, once any later run finished the
  // re-merge, wholly under the new one; never half. Then the operator's rerun of --precedence.
  const fs::path before = dir / "precedence-before.db";
  prepare(before);
  const Snapshot old_order = snapshot(before);
  const fs::path after = dir / "precedence-after.db";
  prepare(after);
  REQUIRE(run_tool(precedence(after).first, precedence(after).second).exit_code == 0);
  const Snapshot new_order = snapshot(after);
  REQUIRE_FALSE(old_order == new_order);
  int halves = 0;
  harness(
      "precedence", 5, rng, dir, precedence, prepare,
      [&](const fs::path& db) {
        auto r =
            run_tool("trialmill-store", {"--db", db.string(), "--quiet"}, "");  // stores nothing
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        Snapshot now = snapshot(db);
        CHECK((now == old_order || now == new_order));
        if (!(now == old_order || now == new_order)) ++halves;
        auto again = run_tool(precedence(db).first, precedence(db).second);
        CHECK_MESSAGE(again.exit_code == 0, again.err);
      },
      total);
  CHECK(halves == 0);

  // A full disk: a file-size limit on trialmill-store (SIGXFSZ ignored: writes fail with EFBIG).
  const fs::path full = dir / "full.db";
  REQUIRE(run_tool("trialmill-store", {"--db", full.string()}, "").exit_code == 0);
  auto limited =
      run_tool("/bin/bash", {"-c",
                             str_cat("trap '' XFSZ; ulimit -f ", (fs::file_size(full) / 1024) + 64,
                                     " || exit 97; exec \"$0\" \"$@\""),
                             (bin_dir() / "trialmill-store").string(), "--db", full.string(),
                             "--batch", "50", records_file.string()});
  std::string full_disk;
  if (limited.exit_code == 97) {
    full_disk = "skipped (ulimit -f not permitted)";
  } else {
    CHECK(limited.exit_code == 2);
    CHECK(limited.err.find("stopped: the database failed: " + full.string()) != std::string::npos);
    check_integrity(full, false);
    auto rerun =
        run_tool("trialmill-store", {"--db", full.string(), "--quiet", records_file.string()});
    CHECK_MESSAGE(rerun.exit_code == 0, rerun.err);
    const fs::path reference = dir / "store-clean.db";
    CHECK(snapshot(full) == snapshot(reference));
    full_disk = str_cat("exit ", limited.exit_code, ", then a rerun equal to the clean run");
  }

  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "fault harness: %d SIGKILLs (%d runs finished before their kill), %d databases "
      "compared (integrity check, trial count, export hash without fetch times); full "
      "disk: %s; %.1f s\n",
      total.kills, total.finished_first, total.comparisons, full_disk.c_str(), elapsed);
  std::fflush(stdout);
  CHECK(total.kills >= total.comparisons / 2);  // the moments must mostly fall inside the runs
}
