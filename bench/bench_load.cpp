// trialmill-bench-load: registry-scale loading, end to end and against its floors, in one run.
//   generator -> parse+normalize on N workers -> one writer -> SQLite file   (trialmill load)
//   floors: bare RapidJSON parse of the same pages; bare SQLite insert of the same rows into a
//   flat table; HTML: bare Gumbo parse vs trialmill parse+normalize on 1 and 2 cores;
//   peer: bench/python_peer.py (json + sqlite3) over the same pages, through a pipe.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gumbo.h>
#include <rapidjson/document.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gen_corpus.hpp"
#include "same_rows_floor.hpp"
#include "trialmill/cli.hpp"
#include "trialmill/command.hpp"
#include "trialmill/driver/load.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"

namespace {

using namespace trialmill;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double peak_rss_mb(int who = RUSAGE_SELF) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KB on Linux
}

double file_mb(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? 0.0 : static_cast<double>(size) / (1024.0 * 1024.0);
}

struct Options {
  size_t count = 10000;
  uint64_t seed = 1;
  size_t threads = 0;
  size_t batch = 500;
  size_t html_pages = 2000;
  fs::path workdir = fs::temp_directory_path();
  fs::path corpus = fs::path(TRIALMILL_SOURCE_DIR).parent_path() / "shared" / "corpus" / "ctgov-v2";
  bool python = true;
  bool floors = true;
};

void declare_options(CLI::App& app, Options& o) {
  app.add_option("--count", o.count, "studies to generate and load (default 10000)")
      ->type_name("N")
      ->check(positive_count());
  app.add_option("--seed", o.seed, "generator seed (default 1)")
      ->type_name("S")
      ->check(unsigned_number());
  app.add_option("--threads", o.threads, "parse+normalize workers (default: every core)")
      ->type_name("N")
      ->check(positive_count());
  add_batch_option(app, o.batch);
  app.add_option("--html-pages", o.html_pages, "HTML pages for the Gumbo comparison (default 2000)")
      ->type_name("N")
      ->check(positive_count());
  app.add_option_function<std::string>(
         "--workdir", [&o](const std::string& dir) { o.workdir = dir; },
         "where the databases are written (default: the temp dir)")
      ->type_name("DIR");
  app.add_option_function<std::string>(
         "--corpus", [&o](const std::string& dir) { o.corpus = dir; },
         "API v2 study files to vary (default ../shared/corpus/ctgov-v2)")
      ->type_name("DIR");
  app.add_flag("--no-python{false}", o.python, "skip the Python peer");
  app.add_flag("--skip-floors{false}", o.floors, "end to end only: no floors, no HTML, no peer");
}

// Runs `work(i)` for i in [0, n) on `threads` threads, interleaved.
template <typename F>
void parallel_for(size_t n, size_t threads, F work) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) work(i);
    });
  for (auto& thread : pool) thread.join();
}

struct EndToEnd {
  LoadResult load;
  double cpu = 0;
  double rss_mb = 0;
  double db_mb = 0;
  double input_mb = 0;
};

EndToEnd run_end_to_end(const Options& o, const bench::CorpusGenerator& gen, const fs::path& db) {
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
  LoadOptions options;
  options.db = db.string();
  options.threads = o.threads;
  options.batch = o.batch;
  size_t pages = bench::CorpusGenerator::page_count(o.count);
  size_t bytes = 0;
  PageSource source = [&, next = size_t{0}](LoadPage& page) mutable {
    if (next == pages) return false;
    auto text = std::make_shared<std::string>();
    text->reserve(24u << 20);
    gen.append_page(next, o.count, *text);
    bytes += text->size();
    page.name = str_cat("generated page ", next++);
    page.bytes = *text;
    page.owner = std::move(text);
    return true;
  };
  EndToEnd e;
  double cpu0 = cpu_seconds();
  e.load = load_pages(options, source);
  e.cpu = cpu_seconds() - cpu0;
  e.rss_mb = peak_rss_mb();
  e.db_mb = file_mb(db) + file_mb(db.string() + "-wal");
  e.input_mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
  return e;
}

// Bare RapidJSON: each page parsed whole into a DOM (the generator's time is not counted).
double floor_rapidjson(const Options& o, const bench::CorpusGenerator& gen, size_t threads) {
  size_t pages = bench::CorpusGenerator::page_count(o.count);
  std::atomic<int64_t> nanos{0};
  parallel_for(pages, threads, [&](size_t p) {
    std::string page;
    gen.append_page(p, o.count, page);
    auto t = Clock::now();
    rapidjson::Document doc;
    doc.Parse(page.data(), page.size());
    if (doc.HasParseError() || !doc["studies"].IsArray()) std::abort();
    nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count();
  });
  // Per-thread busy time summed over threads: the wall time of `threads` busy cores.
  return static_cast<double>(nanos.load()) / 1e9 / static_cast<double>(threads);
}

// Bare SQLite: the same studies as rows of a flat table, one prepared statement, batched
// transactions, the store's pragmas (rows made ahead of the clock, page by page).
double floor_sqlite(const Options& o, const bench::CorpusGenerator& gen, const fs::path& path, double* mb) {
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  double seconds = 0;
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.execAndGet("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("CREATE TABLE studies (nct_id TEXT PRIMARY KEY, brief_title TEXT, overall_status TEXT, "
            "study_json TEXT NOT NULL)");
    SQLite::Statement insert(db, "INSERT INTO studies VALUES (?, ?, ?, ?)");
    std::vector<bench::StudyRow> rows(bench::kApiPageSize);
    std::vector<std::string> json(bench::kApiPageSize);
    size_t pending = 0;
    std::optional<SQLite::Transaction> transaction;
    for (size_t first = 0; first < o.count; first += bench::kApiPageSize) {
      size_t n = std::min(bench::kApiPageSize, o.count - first);
      for (size_t i = 0; i < n; ++i) {
        json[i].clear();
        gen.append_study(first + i, json[i], &rows[i]);
      }
      auto t = Clock::now();
      for (size_t i = 0; i < n; ++i) {
        if (!transaction) transaction.emplace(db);
        insert.bind(1, rows[i].nct_id);
        insert.bind(2, rows[i].brief_title);
        insert.bind(3, rows[i].overall_status);
        insert.bind(4, json[i]);
        insert.exec();
        insert.reset();
        if (++pending == o.batch) {
          transaction->commit();
          transaction.reset();
          pending = 0;
        }
      }
      seconds += since(t);
    }
    auto t = Clock::now();
    if (transaction) transaction->commit();
    seconds += since(t);
  }
  *mb = file_mb(path) + file_mb(path.string() + "-wal");
  return seconds;
}

struct HtmlResult {
  double gumbo1 = 0, gumbo2 = 0, mill1 = 0, mill2 = 0;  // seconds
  size_t failed = 0;
};

// Gumbo and trialmill take turns on slices of the pages (the order swapped every slice), and
// each side's time is the sum over its slices: a neighbour on the VM that slows a few
// seconds slows both sides alike, where one long phase after the other would charge it to one.
HtmlResult bench_html(const Options& o) {
  bench::HtmlPageGenerator gen(fs::path(TRIALMILL_SOURCE_DIR) / "fixtures" / "html");
  std::vector<std::string> pages;
  for (size_t i = 0; i < o.html_pages; ++i) pages.push_back(gen.page(i));
  HtmlResult r;
  auto gumbo = [&](size_t i) {
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, pages[i].data(), pages[i].size());
    gumbo_destroy_output(&kGumboDefaultOptions, out);
  };
  std::atomic<size_t> failed{0};
  auto mill = [&](size_t i) {
    try {
      PageInput input{str_cat("html:", i), std::nullopt, std::nullopt, std::nullopt, std::nullopt};
      for (auto& record : parse_page(pages[i], input)) (void)normalize_record(record);
    } catch (const Error&) {
      ++failed;
    }
  };
  constexpr size_t kSlice = 50;
  auto run = [&](size_t threads, double& gumbo_s, double& mill_s) {
    for (size_t from = 0, n = 0; from < pages.size(); from += kSlice, ++n) {
      size_t count = std::min(kSlice, pages.size() - from);
      auto timed = [&](auto& work, double& total) {
        auto t = Clock::now();
        parallel_for(count, threads, [&](size_t i) { work(from + i); });
        total += since(t);
      };
      if (n % 2 == 0) {
        timed(gumbo, gumbo_s);
        timed(mill, mill_s);
      } else {
        timed(mill, mill_s);
        timed(gumbo, gumbo_s);
      }
    }
  };
  run(1, r.gumbo1, r.mill1);
  run(2, r.gumbo2, r.mill2);
  r.failed = failed / 2;
  return r;
}

struct PythonResult {
  bool ran = false;
  double seconds = 0;
  double rss_mb = 0;
};

PythonResult run_python(const Options& o, const fs::path& db) {
  PythonResult r;
  if (std::system("python3 -c 'import json, sqlite3' >/dev/null 2>&1") != 0) return r;
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::path bin = fs::read_symlink("/proc/self/exe").parent_path();
  std::string command = str_cat("'", (bin / "trialmill-gen-corpus").string(), "' --count ", o.count,
                                " --seed ", o.seed, " --corpus '", o.corpus.string(), "' | python3 '", TRIALMILL_SOURCE_DIR,
                                "/bench/python_peer.py' --db '", db.string(), "' --batch ", o.batch);
  auto t = Clock::now();
  int status = std::system(command.c_str());
  r.seconds = since(t);
  r.ran = status == 0;
  r.rss_mb = peak_rss_mb(RUSAGE_CHILDREN);  // the largest child: python3 (the generator is small)
  return r;
}

int run(const Options& o);

std::string rate(double items, double seconds) {
  return seconds > 0 ? str_cat(static_cast<long long>(items / seconds)) : "-";
}

}  // namespace

int main(int argc, char** argv) {
  return run_program(
      make_command<Options>(
          {"trialmill-bench-load", "the registry-scale load benchmark against its floors",
           "[--count N] [--seed S] [--threads N] [--batch N]\n"
           "[--html-pages N] [--workdir DIR] [--corpus DIR]\n"
           "[--no-python] [--skip-floors]",
           "Generates N API v2 studies in pages of 1,000 and loads them end to end (trialmill load),\n"
           "then measures in the same run the floors for the same studies (bare RapidJSON parse, bare\n"
           "SQLite insert of the same rows and of a flat table, bare Gumbo for HTML) and the Python\n"
           "peer, and prints rates, ratios, peak RSS, database size and each stage's share.\n",
           "  0  measured\n  1  a stage failed\n  2  usage error\n"},
          declare_options,
          [](const Options& parsed) {
            Options o = parsed;
            if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
            log_configure({"trialmill-bench-load", LogFormat::text, LogLevel::warning});
            return run(o);
          }),
      argc, argv);

}

namespace {

int run(const Options& o) {
  bench::CorpusGenerator gen(o.corpus, o.seed);
  fs::path db = o.workdir / str_cat("trialmill-bench-load-", getpid(), ".db");
  fs::path flat = o.workdir / str_cat("trialmill-bench-flat-", getpid(), ".db");
  fs::path peer = o.workdir / str_cat("trialmill-bench-python-", getpid(), ".db");
  double n = static_cast<double>(o.count);

  std::printf("trialmill-bench-load: %zu studies (seed %llu, %zu bases), %zu threads, batch %zu\n",
              o.count, static_cast<unsigned long long>(o.seed), gen.base_count(), o.threads, o.batch);
  std::fflush(stdout);
  EndToEnd e = run_end_to_end(o, gen, db);
  const LoadResult& l = e.load;
  double stages =
      l.parse_seconds + l.normalize_seconds + l.prepare_seconds + l.store_seconds + l.read_seconds;
  auto share = [&](double s) { return stages > 0 ? 100.0 * s / stages : 0.0; };
  std::printf("\nend to end (generator -> %zu x parse+normalize -> 1 writer -> SQLite)\n", l.threads);
  std::printf("  %s\n", load_summary(l).c_str());
  std::printf("  input %.0f MB (%.1f KB/study), %.1f MB/s; CPU %.1f s (%.2f cores busy)\n", e.input_mb,
              e.input_mb * 1024 / n, e.input_mb / l.seconds, e.cpu, e.cpu / l.seconds);
  std::printf("  peak RSS %.0f MB; database %.0f MB\n", e.rss_mb, e.db_mb);
  std::printf("  stage time (summed over threads): generate %.1f s (%.0f%%), parse %.1f s (%.0f%%), "
              "normalize %.1f s (%.0f%%), prepare %.1f s (%.0f%%), store %.1f s (%.0f%%); "
              "writer idle %.1f s, writer CPU %.1f s\n",
              l.read_seconds, share(l.read_seconds), l.parse_seconds, share(l.parse_seconds),
              l.normalize_seconds, share(l.normalize_seconds), l.prepare_seconds,
              share(l.prepare_seconds), l.store_seconds, share(l.store_seconds),
              l.writer_idle_seconds, l.writer_cpu_seconds);
  std::fflush(stdout);
  auto remove_db = [](const fs::path& path) {
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
  };

  double json1 = 0, json2 = 0, sqlite_s = 0, flat_mb = 0, rows_s = 0, rows_mb = 0;
  HtmlResult html;
  if (o.floors) {
    rows_s = bench::same_rows_floor(db, flat, &rows_mb);
    remove_db(flat);
    remove_db(db);
    json1 = floor_rapidjson(o, gen, 1);
    json2 = floor_rapidjson(o, gen, o.threads);
    sqlite_s = floor_sqlite(o, gen, flat, &flat_mb);
    remove_db(flat);
    html = bench_html(o);
  }
  remove_db(db);
  PythonResult py;
  if (o.python) {
    py = run_python(o, peer);
    fs::remove(peer);
    fs::remove(peer.string() + "-wal");
    fs::remove(peer.string() + "-shm");
  }

  std::printf("\n%-52s %12s %10s\n", "what", "studies/s", "seconds");
  auto row = [&](const std::string& what, double items, double seconds) {
    std::printf("%-52s %12s %10.2f\n", what.c_str(), rate(items, seconds).c_str(), seconds);
  };
  row(str_cat("trialmill load, end to end (", l.threads, " workers)"), n, l.seconds);
  if (o.floors) {
    row("floor: bare RapidJSON page parse, 1 core", n, json1);
    row(str_cat("floor: bare RapidJSON page parse, ", o.threads, " cores"), n, json2);
    row(str_cat("floor: bare SQLite, trialmill's rows (", static_cast<int>(rows_mb), " MB)"), n, rows_s);
    row(str_cat("floor: bare SQLite insert, flat table (", static_cast<int>(flat_mb), " MB)"), n, sqlite_s);
  }
  if (py.ran) row(str_cat("python peer: json + sqlite3 (peak RSS ", static_cast<int>(py.rss_mb), " MB)"), n, py.seconds);
  else if (o.python) std::printf("python peer: python3 not available\n");
  if (o.floors) {
    double hp = static_cast<double>(o.html_pages);
    std::printf("\n%-52s %12s %10s\n", "HTML", "pages/s", "seconds");
    row("bare Gumbo parse, 1 core", hp, html.gumbo1);
    row("bare Gumbo parse, 2 cores", hp, html.gumbo2);
    row("trialmill parse+normalize, 1 core", hp, html.mill1);
    row("trialmill parse+normalize, 2 cores", hp, html.mill2);
    if (html.failed) std::printf("  (%zu HTML pages gave no record)\n", html.failed);
  }

  std::printf("\ntargets\n");
  auto check = [](const char* what, bool met, const std::string& detail) {
    std::printf("  [%s] %s: %s\n", met ? "met" : "MISSED", what, detail.c_str());
  };
  check("peak RSS < 300 MB", e.rss_mb < 300, str_cat(static_cast<int>(e.rss_mb), " MB"));
  if (o.floors) {
    // The insert floor is SQLite writing the rows trialmill writes (the same rows); the flat
    // table, one row of the study's JSON per study, is shown beside it as the Python peer's.
    double slower = std::max(json2, rows_s);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.0f%% of the slower floor (%s)", 100.0 * slower / l.seconds,
                  rows_s >= json2 ? "trialmill's rows" : "parse");
    check("end to end >= 50% of the slower floor", slower / l.seconds >= 0.5, buf);
    std::snprintf(buf, sizeof buf, "%.0f%% of a flat-table insert (not the same rows)",
                  100.0 * sqlite_s / l.seconds);
    check("end to end >= 50% of the flat-table insert", sqlite_s / l.seconds >= 0.5, buf);
    std::snprintf(buf, sizeof buf, "1 core %.0f%%, 2 cores %.0f%% of Gumbo", 100.0 * html.gumbo1 / html.mill1,
                  100.0 * html.gumbo2 / html.mill2);
    check("HTML parse+normalize >= 90% of bare Gumbo", html.gumbo1 / html.mill1 >= 0.9, buf);
    std::snprintf(buf, sizeof buf, "%.2fx from 1 to 2 cores", html.mill1 / html.mill2);
    check("HTML scales to two cores", html.mill1 / html.mill2 >= 1.6, buf);
  }
  if (py.ran) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1fx", py.seconds / l.seconds);
    check(">= 5x the Python peer", py.seconds / l.seconds >= 5, buf);
  }
  return l.failed ? kExitInputsFailed : kExitOk;
}

}  // namespace
