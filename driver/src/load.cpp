#include "trialmill/driver/load.hpp"

#include <time.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "trialmill/driver/bounded_queue.hpp"
#include "trialmill/driver/input_pages.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"

namespace trialmill {
namespace {

using Clock = std::chrono::steady_clock;

// CPU time of the calling thread: unlike wall time, not inflated when other processes hold the
// cores.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Records travel to the writer prepared (validated, hashed, serialized, merged as a first
// source: see PreparedRecord), in small groups so that the queues' locks are taken per group,
// not per study.
using RecordGroup = std::vector<PreparedRecord>;
constexpr size_t kGroupSize = 16;

// Counts each worker keeps to itself and hands over once, at the end.
struct WorkerCounts {
  size_t studies = 0;
  size_t failed = 0;
  size_t pages_failed = 0;
  double parse_seconds = 0;
  double normalize_seconds = 0;
  double prepare_seconds = 0;
};

// A bulk load writes ~50 KB of rows and indexes per study: with SQLite's defaults (2 MB page
// cache, a WAL checkpoint every 4 MB) the writer spends its time re-reading index pages and
// checkpointing (with an fsync) every few dozen studies. Both are per-connection settings.
void tune_for_bulk_load(SQLite::Database& db) {
  db.exec("PRAGMA cache_size = -65536");         // 64 MB of page cache
  db.exec("PRAGMA wal_autocheckpoint = 16384");  // checkpoint every 64 MB of WAL
  // No temp_store = MEMORY and no sorter threads: the sorts that build the indexes at the end of
  // a bulk load would then hold millions of keys in memory (339 MB peak at 100,000 studies,
  // against 220 MB) for 10 % less time.
}

class Pipeline {
 public:
  Pipeline(const LoadOptions& options, size_t threads)
      : options_(options),
        threads_(threads),
        // A page can be hundreds of MB mapped, or ~20 MB generated in memory: one page waiting
        // (besides one per worker) keeps the workers busy without holding more.
        pages_(1),
        // Enough groups for the writer to fill a transaction while the workers go on.
        records_(threads * 4) {}

  LoadResult run(const PageSource& next_page) {
    // Opened here, before any thread starts, so that a bad --db fails before any input is read.
    std::optional<TrialStore> store(std::in_place, options_.db);
    tune_for_bulk_load(store->database());
    LoadResult result;
    // A rebuild from scratch: rows appended, indexes built once at the end.
    if (options_.bulk) result.bulk = store->begin_bulk_load();
    result.threads = threads_;
    Clock::time_point start = Clock::now();

    std::thread writer([&] { write_all(*store, result); });
    std::vector<std::thread> workers;
    std::vector<WorkerCounts> counts(threads_);
    for (size_t i = 0; i < threads_; ++i)
      workers.emplace_back([this, &counts, i] { work(counts[i]); });

    size_t read_failures = 0;
    double read_seconds = 0;
    while (true) {
      LoadPage page;
      Clock::time_point t = Clock::now();
      bool more = false;
      try {
        more = next_page(page);
      } catch (const std::exception& e) {
        log_error(page.name, e.what());
        ++read_failures;
        read_seconds += seconds_since(t);
        continue;
      }
      read_seconds += seconds_since(t);
      if (!more) break;
      if (!pages_.push(std::move(page))) break;  // closed: the writer stopped
    }
    pages_.close();
    for (auto& worker : workers) worker.join();
    records_.close();
    writer.join();

    if (!fatal_.empty()) throw Error(fatal_);
    store.reset();  // closing checkpoints the WAL into the database: part of the load's time
    result.seconds = seconds_since(start);
    result.read_seconds = read_seconds;
    result.failed += read_failures;
    result.pages_failed += read_failures;
    for (const auto& c : counts) {
      result.studies += c.studies;
      result.failed += c.failed;
      result.pages_failed += c.pages_failed;
      result.parse_seconds += c.parse_seconds;
      result.normalize_seconds += c.normalize_seconds;
      result.prepare_seconds += c.prepare_seconds;
    }
    return result;
  }

 private:
  // A worker's sink: each normalized record prepared here (the writer's CPU work that needs no
  // database, done on every core) and handed to the writer in groups.
  class GroupSink : public RecordSink {
   public:
    explicit GroupSink(BoundedQueue<RecordGroup>& records) : records_(records) {
      group_.reserve(kGroupSize);
    }
    void record(JsonDocument&& record, const PageInput& page) override {
      Clock::time_point t = Clock::now();
      group_.push_back(prepare_record(std::move(record), page.name));
      prepare_seconds += seconds_since(t);
      if (group_.size() >= kGroupSize) flush();
    }
    void finish() override {
      if (!group_.empty()) flush();
    }
    double prepare_seconds = 0;
    double waiting_seconds = 0;

   private:
    void flush() {
      Clock::time_point t = Clock::now();
      records_.push(std::move(group_));
      waiting_seconds += seconds_since(t);
      group_ = RecordGroup();
      group_.reserve(kGroupSize);
    }
    BoundedQueue<RecordGroup>& records_;
    RecordGroup group_;
  };

  // A worker: whole pages, parsed study by study (the parser keeps one study's DOM at a time),
  // each record normalized and prepared here so that the writer only writes.
  void work(WorkerCounts& counts) {
    GroupSink sink(records_);
    RecordPipeline pipeline(sink);
    pipeline.time_stages(true);
    pipeline.begin();
    double busy_seconds = 0;  // on pages, not waiting for them
    while (auto page = pages_.pop()) {
      Clock::time_point start = Clock::now();
      PageInput input{page->name, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
      PageOutcome outcome = pipeline.page_bytes(input, page->bytes);
      counts.studies += outcome.records + outcome.failed - (outcome.page_failed ? 1 : 0);
      counts.failed += outcome.failed;
      if (outcome.page_failed) ++counts.pages_failed;
      sink.finish();  // the page's last records go now: the writer is not kept waiting
      busy_seconds += seconds_since(start);
    }
    pipeline.finish();
    counts.normalize_seconds = pipeline.normalize_seconds();
    counts.prepare_seconds = sink.prepare_seconds;
    counts.parse_seconds =
        busy_seconds - counts.normalize_seconds - counts.prepare_seconds - sink.waiting_seconds;
  }

  // The writer: the only thread touching the database; one transaction per `batch` records.
  void write_all(TrialStore& store, LoadResult& result) {
    try {
      write_records(store, result);
    } catch (const std::exception& e) {
      // The database itself failed (disk full, I/O error): nothing more can be stored, so the
      // other stages are stopped rather than left blocked on full queues.
      fatal_ = str_cat("cannot write to ", options_.db, ": ", e.what());
      pages_.close();
      records_.close();
    }
  }

  void write_records(TrialStore& store, LoadResult& result) {
    const double cpu_start = thread_cpu_seconds();
    double store_seconds = 0;
    double idle_seconds = 0;
    while (true) {
      Clock::time_point t = Clock::now();
      std::optional<RecordGroup> group = records_.pop();
      idle_seconds += seconds_since(t);
      if (!group) break;
      t = Clock::now();
      for (const auto& item : *group) {
        store.add(item);
        if (store.pending() >= options_.batch) store.commit();
      }
      group.reset();  // the DOMs are freed here, off the timed path of the workers
      store_seconds += seconds_since(t);
    }
    Clock::time_point t = Clock::now();
    store.commit();
    store_seconds += seconds_since(t);
    t = Clock::now();
    store.end_bulk_load();
    result.index_seconds = seconds_since(t);
    const StoreStats& stats = store.stats();
    result.inserted = stats.inserted;
    result.updated = stats.updated;
    result.unchanged = stats.unchanged;
    result.failed += stats.failed;
    result.store_seconds = store_seconds;
    result.writer_idle_seconds = idle_seconds;
    result.writer_cpu_seconds = thread_cpu_seconds() - cpu_start;
  }

  const LoadOptions& options_;
  const size_t threads_;
  BoundedQueue<LoadPage> pages_;
  BoundedQueue<RecordGroup> records_;
  std::string fatal_;  // set by the writer only, read after it is joined
};

}  // namespace

std::vector<OptionSpec> load_option_specs() {
  auto specs = std::vector<OptionSpec>{
      {"db", 0, true, "the SQLite database to create or update (required)", "PATH"},
      {"threads", 'j', true, "parse+normalize worker threads (default: the number of cores)", "N"},
      {"batch", 0, true, "records per transaction (default 500)", "N"},
      {"no-bulk", 0, false,
       "store row by row with every index kept up, even into an empty database"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

LoadOptions parse_load_command_line(const std::vector<std::string>& args) {
  ParsedArgs parsed = parse_args(args, load_option_specs());
  LoadOptions options;
  options.help = parsed.has("help");
  options.version = parsed.has("version");
  if (options.help || options.version) return options;
  auto db = parsed.value("db");
  if (!db || db->empty()) throw UsageError("--db PATH is required");
  options.db = *db;
  if (auto value = parsed.value("threads"))
    options.threads = parse_positive_count("threads", *value);
  if (auto value = parsed.value("batch")) options.batch = parse_positive_count("batch", *value);
  options.bulk = !parsed.has("no-bulk");
  options.files = parsed.positional;
  if (options.files.empty()) throw UsageError("no FILE to load");
  return options;
}

std::string load_usage() {
  return "Usage: trialmill load --db PATH [--threads N] [--batch N] FILE|FOLDER|ZIP...\n"
         "\n"
         "Loads ClinicalTrials.gov API v2 JSON (/api/v2/studies pages or single studies), the\n"
         "legacy <clinical_study> XML (AllPublicXML) and other registry pages into the SQLite\n"
         "store. A FOLDER gives every file under it; a .zip gives every entry, read from the\n"
         "archive without unpacking it. Each file is mapped, its studies\n"
         "are parsed and normalized on N worker threads and stored by one writer in batched\n"
         "transactions. Memory stays bounded whatever the number of studies. Studies are stored\n"
         "in no particular order; a second load of the same files changes nothing. FILE '-' is\n"
         "stdin, one page per line (trialmill-gen-corpus | trialmill load --db t.db -).\n"
         "\n"
         "Into a database that holds no trial yet (a rebuild from scratch) the load is a bulk\n"
         "load: rows are appended without index upkeep and the indexes are built once at the\n"
         "end. Readers see the trials as usual meanwhile, only their queries are slower. If the\n"
         "load is killed, the next command that opens the database for writing builds the\n"
         "missing indexes. The same trial twice in the input ends the bulk load there.\n"
         "\n"
         "Options:\n" +
         format_options_help(load_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every study was stored (or was already stored)\n"
         "  1  some studies or files failed (each named on stderr); the others were stored\n"
         "  2  usage error, or the database cannot be opened\n";
}

PageSource file_pages(const std::vector<std::string>& files) {
  return [files, next = size_t{0}, line = size_t{0}](LoadPage& page) mutable {
    while (next < files.size()) {
      if (files[next] == "-") {
        // stdin: one page (or study) per line, as trialmill-gen-corpus writes them; read one
        // at a time, so a stream of any length is never held whole.
        auto text = std::make_shared<std::string>();
        while (std::getline(standard_input(), *text)) {
          ++line;
          if (text->find_first_not_of(" \t\r") == std::string::npos) continue;
          page.name = str_cat("stdin:", line);
          page.bytes = *text;
          page.owner = std::move(text);
          return true;
        }
        ++next;
        continue;
      }
      page.name = files[next++];
      auto file = std::make_shared<MappedFile>(page.name);
      page.bytes = file->bytes();
      page.owner = std::move(file);
      return true;
    }
    return false;
  };
}

LoadResult load_pages(const LoadOptions& options, const PageSource& next_page) {
  size_t threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  return Pipeline(options, threads).run(next_page);
}

std::string load_summary(const LoadResult& r) {
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.2f s (%.0f studies/s)", r.seconds, r.studies_per_second());
  std::string bulk;
  if (r.bulk) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f s", r.index_seconds);
    bulk = str_cat(" (bulk load, indexes built in ", seconds, ")");
  }
  return str_cat("loaded ", r.studies, " studies: ", r.inserted, " new, ", r.updated, " changed, ",
                 r.unchanged, " unchanged, ", r.failed, " failed in ", rate, bulk);
}

int load_main(const std::vector<std::string>& args) {
  constexpr const char* kProgram = "trialmill load";
  LoadOptions options;
  try {
    options = parse_load_command_line(args);
    apply_common_options(parse_args(args, load_option_specs()), kProgram);
  } catch (const UsageError& e) {
    log_error({}, str_cat(e.what(), " (see 'trialmill load --help')"));
    return kExitUsage;
  }
  if (options.help) {
    std::fputs(load_usage().c_str(), stdout);
    return kExitOk;
  }
  if (options.version) {
    std::puts("trialmill " TRIALMILL_VERSION);
    return kExitOk;
  }
  LoadResult result;
  try {
    result = load_pages(options, input_pages(options.files));
  } catch (const DatabaseError& e) {
    log_error(options.db, e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    log_error({}, str_cat(e.what(), "; what was committed before stays stored"));
    return kExitInputsFailed;
  }
  // The summary is the command's result, not a diagnostic: it is printed even with --quiet.
  std::fprintf(stderr, "trialmill load: %s\n", load_summary(result).c_str());
  return result.failed ? kExitInputsFailed : kExitOk;
}

}  // namespace trialmill
