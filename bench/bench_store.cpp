// trialmill-bench-store: throughput and memory of TrialStore against bare SQLite writing the
// same rows (and a flat table). Records are generated one at a time from the real corpus records (never all N in
// memory), so peak RSS should be the same at N/10 and at N.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"
#include "trialmill/command.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/trial_rows.hpp"
#include "same_rows_floor.hpp"

namespace {

using namespace trialmill;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::array<std::string_view, 5> kStatuses = {
    "RECRUITING", "COMPLETED", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "TERMINATED"};

// The normalized records of the golden fixtures, each checked against the contract.
std::vector<JsonDocument> load_templates(const fs::path& source_dir) {
  std::vector<fs::path> files;
  for (const char* dir : {"fixtures/expected", "fixtures/corpus-expected"}) {
    if (!fs::is_directory(source_dir / dir)) continue;
    for (const auto& entry : fs::directory_iterator(source_dir / dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<JsonDocument> templates;
  for (const auto& file : files) {
    JsonDocument record = parse_json(read_file(file.string()), file.string());
    set_string(record, "nct_id", "NCT10000000", record.GetAllocator());
    if (validate_trial_record(record).empty()) templates.push_back(std::move(record));
  }
  return templates;
}

// Trial i: template i % T with its own NCT ID, title, status and enrollment.
class RecordGenerator {
 public:
  explicit RecordGenerator(const std::vector<JsonDocument>& templates) : templates_(templates) {}

  const JsonDocument& make(size_t i) {
    // A fresh document each time: a rapidjson pool allocator only frees when its document goes.
    JsonDocument fresh;
    fresh.CopyFrom(templates_[i % templates_.size()], fresh.GetAllocator());
    record_.Swap(fresh);
    auto& alloc = record_.GetAllocator();
    char nct[16];
    std::snprintf(nct, sizeof nct, "NCT%08zu", 10000000 + i);
    set_string(record_, "nct_id", nct, alloc);
    set_string(record_, "brief_title",
               str_cat(get_string_or(record_, "brief_title", "Trial"), " (variant ", i, ")"),
               alloc);
    set_string(record_, "overall_status", kStatuses[i % kStatuses.size()], alloc);
    if (JsonValue* enrollment = const_cast<JsonValue*>(find_member(record_, "enrollment"));
        enrollment && enrollment->IsObject())
      set_member(*enrollment, "count", JsonValue(static_cast<int64_t>(10 + i % 500)), alloc);
    JsonValue& source = record_["source"];
    set_string(source, "url", str_cat("https://bench.example/", nct), alloc);
    return record_;
  }

 private:
  const std::vector<JsonDocument>& templates_;
  JsonDocument record_;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double current_rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

struct PhaseResult {
  std::string name;
  size_t count = 0;
  double seconds = 0;
  double peak_at_tenth = 0, peak_at_end = 0;  // ru_maxrss, MiB
  double rss_at_tenth = 0, rss_at_end = 0;    // resident now, MiB
  double db_mib = 0;
  double rate() const { return seconds > 0 ? static_cast<double>(count) / seconds : 0; }
};

// Runs `step(i)` for i in [0, n) and `flush()` at the end, sampling memory at n/10 and n.
PhaseResult run_phase(std::string name, size_t n, const std::function<void(size_t)>& step,
                      const std::function<void()>& flush) {
  PhaseResult result;
  result.name = std::move(name);
  result.count = n;
  const size_t tenth = std::max<size_t>(1, n / 10);
  auto start = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    step(i);
    if (i + 1 == tenth) {
      result.peak_at_tenth = peak_rss_mib();
      result.rss_at_tenth = current_rss_mib();
    }
  }
  flush();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.peak_at_end = peak_rss_mib();
  result.rss_at_end = current_rss_mib();
  return result;
}

double file_mib(const fs::path& path) {
  double bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = fs::file_size(path.string() + suffix, ec);
    if (!ec) bytes += static_cast<double>(size);
  }
  return bytes / 1048576.0;
}

// The baseline: one flat table with the scalar columns of `trials`, a prepared INSERT, one
// transaction per batch, the same journal settings as the store.
PhaseResult bare_inserts(const fs::path& path, size_t n, size_t batch, RecordGenerator& generator) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.execAndGet("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  std::string columns, params;
  for (auto column : trial_scalar_columns()) {
    columns += str_cat(columns.empty() ? "" : ", ", column);
    params += params.empty() ? "?" : ", ?";
  }
  db.exec(str_cat("CREATE TABLE flat_trials (", columns, ", PRIMARY KEY (nct_id))"));
  SQLite::Statement insert(
      db, str_cat("INSERT INTO flat_trials (", columns, ") VALUES (", params, ")"));
  std::optional<SQLite::Transaction> transaction;
  size_t pending = 0;
  PhaseResult result = run_phase(
      "bare SQLite inserts", n,
      [&](size_t i) {
        if (!transaction) transaction.emplace(db);
        auto values = trial_scalar_values(generator.make(i));
        for (size_t c = 0; c < values.size(); ++c)
          bind_value(insert, static_cast<int>(c + 1), values[c]);
        insert.exec();
        insert.reset();
        if (++pending == batch) {
          transaction->commit();
          transaction.reset();
          pending = 0;
        }
      },
      [&] {
        if (transaction) transaction->commit();
        transaction.reset();
      });
  result.db_mib = file_mib(path);
  return result;
}

// TrialStore row by row (every index kept up, as a nightly stores), or as a bulk load into the
// empty database (indexes built at the end, as trialmill load does).
PhaseResult trial_store(const fs::path& path, size_t n, size_t batch, RecordGenerator& generator,
                        bool bulk) {
  TrialStore store(path.string());
  if (bulk && !store.begin_bulk_load()) throw make_error(path.string(), " is not empty");
  size_t failed = 0;
  PhaseResult result = run_phase(
      bulk ? "TrialStore, bulk load" : "TrialStore", n,
      [&](size_t i) {
        if (store.add(generator.make(i), "bench") == StoreOutcome::failed) ++failed;
        if (store.pending() >= batch) store.commit();
      },
      [&] {
        store.commit();
        store.end_bulk_load();
      });
  if (failed) throw make_error(failed, " generated records were not stored");
  result.db_mib = file_mib(path);
  return result;
}

void print_table(const std::vector<PhaseResult>& results) {
  std::printf("%-20s %9s %9s %11s %17s %17s %8s\n", "phase", "trials", "seconds", "trials/s",
              "peak RSS N/10,N", "RSS now N/10,N", "db MiB");
  for (const auto& r : results) {
    char peak[32], now[32];
    std::snprintf(peak, sizeof peak, "%.1f, %.1f", r.peak_at_tenth, r.peak_at_end);
    std::snprintf(now, sizeof now, "%.1f, %.1f", r.rss_at_tenth, r.rss_at_end);
    std::printf("%-20s %9zu %9.2f %11.0f %17s %17s %8.1f\n", r.name.c_str(), r.count, r.seconds,
                r.rate(), peak, now, r.db_mib);
  }
}

struct Options {
  size_t count = 100000;
  size_t batch = kDefaultBatchSize;
  std::optional<std::string> dir;
};

void declare_options(CLI::App& app, Options& o) {
  app.add_option("--count", o.count, "trials to store (default 100000)")
      ->type_name("N")
      ->check(positive_count())
      ->check(CLI::Validator(
          [](std::string& n) {
            return n.size() > 8 || std::stoull(n) > 89999999 ? "must be at most 89999999 (NCT IDs)"
                                                             : "";
          },
          "", "N"));
  add_batch_option(app, o.batch);
  add_optional(app, "--dir", o.dir, "where to write the two databases (default: a temp dir, removed)",
               "DIR");
}

int run(const Options& o) {
  const size_t count = o.count, batch = o.batch;
  const bool temporary = !o.dir;
  fs::path dir = temporary ? fs::temp_directory_path() / str_cat("trialmill-bench-", ::getpid())
                           : fs::path(*o.dir);
  fs::create_directories(dir);
  for (const char* name : {"store.db", "bulk.db", "rows.db", "bare.db"})
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(dir / str_cat(name, suffix));

  std::vector<JsonDocument> templates = load_templates(TRIALMILL_SOURCE_DIR);
  if (templates.empty()) throw make_error("no valid template records under fixtures/");
  std::printf("trialmill-bench-store: %zu trials from %zu corpus templates, batch %zu, in %s\n",
              count, templates.size(), batch, dir.c_str());
  std::fflush(stdout);

  RecordGenerator generator(templates);
  std::vector<PhaseResult> results;
  results.push_back(run_phase(
      "generate only", count, [&](size_t i) { generator.make(i); }, [] {}));
  results.push_back(trial_store(dir / "store.db", count, batch, generator, false));
  results.push_back(trial_store(dir / "bulk.db", count, batch, generator, true));
  PhaseResult same_rows;
  same_rows.name = "bare SQLite, same rows";
  same_rows.count = count;
  same_rows.seconds = bench::same_rows_floor(dir / "store.db", dir / "rows.db", &same_rows.db_mib);
  same_rows.peak_at_tenth = same_rows.peak_at_end = peak_rss_mib();
  same_rows.rss_at_tenth = same_rows.rss_at_end = current_rss_mib();
  results.push_back(same_rows);
  results.push_back(bare_inserts(dir / "bare.db", count, batch, generator));
  print_table(results);
  const double store_rate = results[1].rate(), bulk_rate = results[2].rate();
  std::printf(
      "bare SQLite writing the same rows (INSERT ... SELECT of the store's tables, then its\n"
      "indexes and search index) / TrialStore: %.1fx row by row, %.1fx as a bulk load.\n"
      "A flat table (the trials columns only, one row per trial) / TrialStore: %.1fx; TrialStore\n"
      "also writes sources, child rows, provenance, search and thresholds, and merges.\n",
      store_rate > 0 ? same_rows.rate() / store_rate : 0.0,
      bulk_rate > 0 ? same_rows.rate() / bulk_rate : 0.0,
      store_rate > 0 ? results[4].rate() / store_rate : 0.0);
  std::printf("peak RSS growth from N/10 to N in TrialStore: %+.1f MiB\n",
              results[1].peak_at_end - results[1].peak_at_tenth);
  if (temporary) fs::remove_all(dir);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  return run_program(
      make_command<Options>(
          {"trialmill-bench-store", "the store benchmark against bare SQLite",
           "[--count N] [--batch N] [--dir DIR]",
           "Stores N synthetic trials (from the fixtures' corpus records) through\n"
           "TrialStore, row by row and as a bulk load, then the same rows with bare SQLite\n"
           "(copied table by table), then a flat table of the trials columns, and prints\n"
           "the rates and peak RSS at N/10 and N.\n",
           "  0  measured\n  1  a phase failed\n  2  usage error\n"},
          declare_options, run),
      argc, argv);
}
