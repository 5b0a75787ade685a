// trialmill-bench-publish: `trialmill publish` of N generated studies into PostgreSQL, beside
// its floor measured in the same run: a plain COPY of the same rows (read from the same SQLite
// file, typed the same way) into the same tables, one COPY per table, no batching, digests or
// deletes. Reports both times and rows/s and the ratio (the floor: at least 50 %).
//   generator -> trialmill load -> SQLite -> publish (first), publish again (nothing changed)
//                                          -> plain COPY (floor)
// Without --to it starts a throw-away PostgreSQL cluster (tests/pg_cluster.hpp).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "gen_corpus.hpp"
#include "pg_cluster.hpp"
#include "trialmill/cli.hpp"
#include "trialmill/driver/load.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/publish/pg.hpp"
#include "trialmill/publish/publish.hpp"
#include "trialmill/publish/target_schema.hpp"
#include "trialmill/store/publish_source.hpp"

namespace {

using namespace trialmill;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Options {
  size_t count = 10000;
  uint64_t seed = 1;
  size_t batch = 500;
  std::string to;
  fs::path workdir = fs::temp_directory_path();
  fs::path corpus = fs::path(TRIALMILL_SOURCE_DIR).parent_path() / "shared" / "corpus" / "ctgov-v2";
};

const std::vector<OptionSpec>& option_specs() {
  static const std::vector<OptionSpec> specs = {
      {"count", 0, true, "studies to generate, load and publish (default 10000)", "N"},
      {"seed", 0, true, "generator seed (default 1)", "S"},
      {"batch", 0, true, "trials per publish transaction (default 500)", "N"},
      {"to", 0, true, "a PostgreSQL server to use (default: a throw-away cluster)", "URI"},
      {"workdir", 0, true, "where the SQLite database is written (default: the temp dir)", "DIR"},
      {"corpus", 0, true, "API v2 study files to vary (default ../shared/corpus/ctgov-v2)", "DIR"},
  };
  return specs;
}

void load_database(const Options& o, const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  bench::CorpusGenerator gen(o.corpus, o.seed);
  LoadOptions options;
  options.db = db.string();
  size_t pages = bench::CorpusGenerator::page_count(o.count);
  PageSource source = [&, next = size_t{0}](LoadPage& page) mutable {
    if (next == pages) return false;
    auto text = std::make_shared<std::string>();
    gen.append_page(next, o.count, *text);
    page.name = str_cat("generated page ", next++);
    page.bytes = *text;
    page.owner = std::move(text);
    return true;
  };
  load_pages(options, source);
}

std::string database(const std::string& server, const std::string& name) {
  PgConnection pg(server);
  pg.exec("DROP DATABASE IF EXISTS " + pg_ident(name));
  pg.exec("CREATE DATABASE " + pg_ident(name));
  std::string uri = server;
  // Swap the database name in a postgresql://…/NAME?… URI.
  size_t slash = uri.find('/', uri.find("//") + 2);
  size_t query = uri.find('?', slash);
  return uri.replace(slash + 1, (query == std::string::npos ? uri.size() : query) - slash - 1,
                     name);
}

// The floor: every row of every table, one COPY per table in one transaction.
uint64_t plain_copy(const fs::path& db, const std::string& uri) {
  PublishSource source(db.string());
  std::vector<TargetTable> targets;
  for (const SourceTable& table : source.tables()) targets.push_back(target_table(table));
  PgConnection pg(uri);
  ensure_target_schema(pg, targets);
  uint64_t rows = 0;
  pg.exec("BEGIN");
  for (size_t t = 0; t < targets.size(); ++t) {
    std::string columns;
    for (const TargetColumn& column : targets[t].columns)
      columns += (columns.empty() ? "" : ", ") + pg_ident(column.name);
    PgCopyIn copy(
        pg, str_cat("COPY trialmill.", pg_ident(targets[t].name), " (", columns, ") FROM STDIN"));
    source.all_rows(source.tables()[t], [&](const SourceRow& row) {
      copy.write(copy_row_text(targets[t], row, nullptr));
      ++rows;
    });
    copy.finish();
  }
  pg.exec("COMMIT");
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    log_configure({"trialmill-bench-publish"});
    ParsedArgs args = parse_args(argc, argv, option_specs());
    if (args.has("help")) {
      std::printf("Usage: trialmill-bench-publish [--count N] [--to URI] ...\n\nOptions:\n%s",
                  format_options_help(option_specs()).c_str());
      return 0;
    }
    Options o;
    if (auto v = args.value("count")) o.count = parse_positive_count("count", *v);
    if (auto v = args.value("seed")) o.seed = parse_unsigned_option("seed", *v);
    if (auto v = args.value("batch")) o.batch = parse_positive_count("batch", *v);
    if (auto v = args.value("workdir")) o.workdir = *v;
    if (auto v = args.value("corpus")) o.corpus = *v;
    if (auto v = args.value("to")) o.to = *v;

    std::unique_ptr<test::PgCluster> cluster;
    if (o.to.empty()) {
      std::string why_not;
      cluster = test::PgCluster::start(why_not);
      if (!cluster) {
        std::printf("bench-publish: skipped: %s\n", why_not.c_str());
        return 0;
      }
      o.to = cluster->uri();
    }

    const fs::path db = o.workdir / str_cat("bench-publish-", o.count, ".db");
    auto t0 = Clock::now();
    load_database(o, db);
    const double load_s = since(t0);

    const std::string publish_uri = database(o.to, "bench_publish");
    const std::string copy_uri = database(o.to, "bench_copy");

    // The floor first, then publish: the page cache is as warm for publish as for the floor.
    t0 = Clock::now();
    uint64_t copy_rows = plain_copy(db, copy_uri);
    const double copy_s = since(t0);

    PublishOptions options;
    options.db = db.string();
    options.to = publish_uri;
    options.batch = o.batch;
    t0 = Clock::now();
    PublishReport first = publish(options);
    const double publish_s = since(t0);
    t0 = Clock::now();
    PublishReport again = publish(options);
    const double again_s = since(t0);

    const double publish_rate = static_cast<double>(first.rows_sent) / publish_s;
    const double copy_rate = static_cast<double>(copy_rows) / copy_s;
    std::printf("bench-publish: %zu studies (load into SQLite %.1f s)\n", o.count, load_s);
    std::printf("  publish (first)     %8.2f s  %10llu rows  %9.0f rows/s  %zu trials, %.1f MB\n",
                publish_s, static_cast<unsigned long long>(first.rows_sent), publish_rate,
                first.trials_sent, static_cast<double>(first.bytes_sent) / (1024.0 * 1024.0));
    std::printf("  plain COPY (floor)  %8.2f s  %10llu rows  %9.0f rows/s\n", copy_s,
                static_cast<unsigned long long>(copy_rows), copy_rate);
    std::printf("  publish again       %8.2f s  %zu trials sent (nothing changed)\n", again_s,
                again.trials_sent);
    const double ratio = publish_rate / copy_rate;
    std::printf("  publish / plain COPY: %.0f %% (floor 50 %%) %s\n", ratio * 100,
                ratio >= 0.5 ? "ok" : "BELOW FLOOR");
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
    return ratio >= 0.5 && again.trials_sent == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trialmill-bench-publish: error: %s\n", e.what());
    return 2;
  }
}
