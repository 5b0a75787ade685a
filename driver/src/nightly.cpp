#include "trialmill/driver/nightly.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly_dry_run.hpp"
#include "trialmill/driver/nightly_sweep.hpp"
#include "trialmill/driver/page_records.hpp"
#include "trialmill/driver/publish_gate.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/run_sources.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/store_stream.hpp"
#include "trialmill/store/withdrawal.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace fs = std::filesystem;

std::string default_archive_dir(const std::string& db_path) {
  fs::path parent = fs::path(db_path).parent_path();
  return (parent.empty() ? fs::path("archive") : parent / "archive").string();
}

std::string default_held_dir(const std::string& db_path) {
  return db_path + ".held";
}

std::vector<OptionSpec> nightly_option_specs() {
  std::vector<OptionSpec> specs = {
      {"config", 'c', true, "the sources config (required; see docs/fetch.md)", "FILE"},
      {"db", 0, true, "the SQLite database to update (required)", "PATH"},
      {"archive", 0, true, "the raw archive (default: archive/ beside the database)", "DIR"},
      {"held", 0, true, "where held records are kept (default: DB.held/)", "DIR"},
      {"base", 0, true, "fills {base} in the config's URLs (an offline registry)", "URL"},
      {"source", 0, true, "only this source (repeatable; default: every source)", "NAME"},
      {"since", 0, true, "incremental discovery: pages updated on or after this date",
       "YYYY-MM-DD"},
      {"force", 0, false, "apply what the publish gate would hold (after checking it)"},
      {"dry-run", 0, false,
       "print the requests a run would make (per host, rate, expected duration); fetch nothing"},
      {"batch", 0, true, "records per transaction (default 500)", "N"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

NightlyOptions parse_nightly_command_line(const std::vector<std::string>& args) {
  ParsedArgs parsed = parse_args(args, nightly_option_specs());
  NightlyOptions options;
  if (parsed.has("help") || parsed.has("version")) return options;
  if (!parsed.positional.empty())
    throw UsageError(str_cat("unexpected argument '", parsed.positional.front(), "'"));
  auto config = parsed.value("config");
  auto db = parsed.value("db");
  options.dry_run = parsed.has("dry-run");
  if (!config) throw UsageError("--config FILE is required");
  if (!db && !options.dry_run) throw UsageError("--db PATH is required");
  options.config_path = *config;
  options.db_path = db.value_or("");
  options.archive_dir = parsed.value("archive");
  options.held_dir = parsed.value("held");
  options.base = parsed.value("base");
  if (auto it = parsed.values.find("source"); it != parsed.values.end())
    options.sources = it->second;
  options.since = parsed.value("since");
  if (options.since && !is_iso_date(*options.since))
    throw UsageError(str_cat("--since wants a date as YYYY-MM-DD, not ", *options.since));
  options.force = parsed.has("force");
  if (auto batch = parsed.value("batch")) options.batch = parse_positive_count("batch", *batch);
  return options;
}

std::string nightly_usage() {
  return "Usage: trialmill nightly --config FILE --db PATH [--archive DIR] [--held DIR]\n"
         "                         [--base URL] [--source NAME]... [--since YYYY-MM-DD]\n"
         "                         [--force] [--batch N] [--quiet] [--log-format text|json]\n"
         "       trialmill nightly --dry-run --config FILE [--db PATH] [--base URL] [--source "
         "NAME]...\n"
         "\n"
         "Fetches every source of the config (conditional requests: an unchanged page costs a\n"
         "304), parses and normalizes each page, and compares each source with its previous run\n"
         "(the publish gate): a source whose pages stop parsing, whose records lose fields, or\n"
         "whose trial count falls past the config's thresholds is held — its records are kept\n"
         "in DB.held/run-N/SOURCE.jsonl and not applied. The other sources' records are stored;\n"
         "then source records that a complete discovery no longer lists are marked vanished, and\n"
         "trials with no listed record left are marked withdrawn from source (never deleted).\n"
         "Sources with sweep_per_night also ask the site by ID about their least recently\n"
         "confirmed trials; one it no longer has is marked the same way. A live run (any\n"
         "source not on loopback) is refused while the User-Agent's contact is a placeholder.\n"
         "\n"
         "Runs under a lock (DB.lock): a second run exits 2 while the first is alive; a killed\n"
         "run's lock is taken over. Prints one summary line on stdout (JSON with --log-format\n"
         "json) and records the run in the runs and run_sources tables. A progress line is shown\n"
         "when stderr is a terminal.\n"
         "\n"
         "Options:\n" +
         format_options_help(nightly_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every page fetched, parsed and stored\n"
         "  1  some pages or records failed (each named on stderr); the rest was stored\n"
         "  2  the run could not start: usage error, another run holds the lock, the config or\n"
         "     the database cannot be used\n"
         "  3  the publish gate held some source (named on stderr and in the summary)\n";
}

namespace {

// Fault injection for the kill tests (tests/test_nightly.cpp): TRIALMILL_TEST_KILL_AT=fetch:N or
// store:N sends this process SIGKILL once N pages are staged or N batches committed, as a crash
// or an operator's kill -9 would, at a point a timer could not hit reliably.
void kill_point(std::string_view stage, size_t count) {
  static const char* setting = std::getenv("TRIALMILL_TEST_KILL_AT");
  if (!setting) return;
  std::string_view value(setting);
  if (value == str_cat(stage, ":", count)) std::raise(SIGKILL);
}

// Throttled progress for a terminal: at most ten redraws a second.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) { log_status_enable(enabled); }
  ~ProgressLine() { log_status_enable(false); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void show(const std::function<std::string()>& text) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    log_status(text());
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

// "storing [########------------]  400/1000 records"
std::string progress_bar(std::string_view what, size_t done, size_t total) {
  constexpr size_t kWidth = 30;
  size_t filled = total ? std::min(kWidth, done * kWidth / total) : kWidth;
  return str_cat(what, " [", std::string(filled, '#'), std::string(kWidth - filled, '-'), "] ",
                 done, "/", total, " records");
}

// The records of one source, staged on disk until the gate has judged the source.
struct SourceStage {
  SourceRunFigures figures;
  std::set<std::string> trials;
  fs::path file;
  std::unique_ptr<std::ofstream> out;
};

class NightlyRun {
 public:
  NightlyRun(const NightlyOptions& options, const FetchConfig& config,
             const JsonDocument& config_json, LockedRun& run)
      : options_(options),
        config_(config),
        config_json_(config_json),
        run_(run),
        progress_(log_status_wanted()) {
    held_root_ = options.held_dir.value_or(default_held_dir(options.db_path));
    stage_dir_ = fs::path(held_root_) / str_cat("run-", run.run_id());
  }

  int run() {
    remove_abandoned_stages();
    fetch_and_stage();
    judge();
    apply();
    sweep_withdrawals();
    return finish();
  }

 private:
  // Stage directories of runs that were killed (not held): partial, and rebuilt by any rerun.
  void remove_abandoned_stages() {
    std::error_code ec;
    if (!fs::is_directory(held_root_, ec)) return;
    SQLite::Statement status(run_.database(), "SELECT status FROM runs WHERE id = ?");
    for (const auto& entry : fs::directory_iterator(held_root_, ec)) {
      std::string name = entry.path().filename().string();
      if (!entry.is_directory() || !name.starts_with("run-")) continue;
      int64_t id = 0;
      auto [end, err] = std::from_chars(name.data() + 4, name.data() + name.size(), id);
      if (err != std::errc() || end != name.data() + name.size()) continue;
      status.reset();
      status.bind(1, id);
      bool held = status.executeStep() && status.getColumn(0).getString() == "held";
      if (!held) fs::remove_all(entry.path(), ec);
    }
  }

  SourceStage& stage_of(const std::string& source, const std::string& format) {
    auto [it, inserted] = stages_.try_emplace(source);
    if (inserted) it->second.figures.format = format;
    return it->second;
  }

  void write_staged(SourceStage& stage, const std::string& source, const JsonDocument& record) {
    if (!stage.out) {
      fs::create_directories(stage_dir_);
      stage.file = stage_dir_ / (source + ".jsonl");
      stage.out = std::make_unique<std::ofstream>(stage.file, std::ios::binary | std::ios::trunc);
      if (!*stage.out) throw make_error(stage.file.string(), ": cannot write");
    }
    *stage.out << to_json(record) << '\n';
    if (!*stage.out) throw make_error(stage.file.string(), ": cannot write");
  }

  // Did this record lose watched fields its stored record (same page identity) had?
  void compare_with_stored(SourceStage& stage, const JsonDocument& record) {
    const JsonValue* source = find_member(record, "source");
    if (!source || !source->IsObject()) return;
    if (!find_stored_) {
      find_stored_ =
          std::make_unique<SQLite::Statement>(run_.database(),
                                              "SELECT record_json FROM sources WHERE nct_id = ? "
                                              "AND format = ? AND ifnull(url, '') = ?");
    }
    SQLite::Statement& find = *find_stored_;
    find.reset();
    find.bind(1, get_string_or(record, "nct_id", ""));
    find.bind(2, get_string_or(*source, "format", ""));
    find.bind(3, get_string_or(*source, "url", ""));
    if (!find.executeStep()) return;
    JsonDocument stored = parse_json(find.getColumn(0).getString(), "stored source record");
    ++stage.figures.records_compared;
    auto lost = lost_watched_fields(stored, record);
    if (lost.empty()) return;
    ++stage.figures.records_lost_fields;
    std::vector<std::string> names(lost.begin(), lost.end());
    log_warning(get_string_or(*source, "url", get_string_or(record, "nct_id", "")),
                str_cat(get_string_or(record, "nct_id", ""),
                        ": lost fields its stored record has: ", join(names, ", ")));
  }

  void on_page(const ManifestLine& page) {
    SourceStage& stage = stage_of(page.source, page.format);
    ++pages_.fetched;
    if (page.http_status == 304) ++pages_.unchanged;
    PageInput input{page.url, page.url, page.fetched_at, page_format_for_parse(page.format),
                    page.nct_id};
    auto outcome = page_to_records(input, page.path, [&](JsonDocument&& record) {
      compare_with_stored(stage, record);
      stage.trials.insert(get_string_or(record, "nct_id", ""));
      write_staged(stage, page.source, record);
    });
    stage.figures.records += outcome.records;
    stage.figures.parse_failed += outcome.failed;
    if (outcome.records > 0) ++pages_.parsed;
    if (outcome.failed > 0 && outcome.records == 0) ++pages_.failed;
    records_staged_ += outcome.records;
    kill_point("fetch", pages_.fetched);
    progress_.show([&] {
      return str_cat("fetching: ", pages_.fetched, " pages (", pages_.unchanged, " unchanged), ",
                     records_staged_, " records, ", pages_.failed + fetch_failed_, " failed");
    });
  }

  void fetch_and_stage() {
    FetchOptions fetch;
    fetch.config_path = options_.config_path;
    fetch.sources = options_.sources;
    fetch.archive_dir = options_.archive_dir.value_or(default_archive_dir(options_.db_path));
    fetch.since = options_.since;
    fetch.base = options_.base;
    fetch.last_good_run = last_good_run_date(run_.database(), "trialmill nightly");
    summary_ = run_fetch(config_, fetch, [&](const ManifestLine& page) { on_page(page); });
    for (auto& [name, report] : summary_.sources) {
      const SourceConfig* config = config_.find_source(name);
      SourceStage& stage = stage_of(name, config ? config->format : "");
      stage.figures.pages = report.pages;
      stage.figures.pages_unchanged = report.unchanged;
      stage.figures.fetch_failed = report.failed;
      stage.figures.discovery_complete = report.discovery_complete;
    }
    fetch_failed_ = summary_.failed;
    pages_.failed += summary_.failed;
    for (auto& [name, stage] : stages_) {
      stage.figures.trials = stage.trials.size();
      if (stage.out) {
        stage.out->close();
        if (!*stage.out) throw make_error(stage.file.string(), ": cannot write");
        stage.out.reset();
      }
    }
  }

  void judge() {
    RunFigures previous = previous_applied_figures(run_.database(), run_.run_id());
    for (auto& [name, stage] : stages_) {
      auto it = previous.find(name);
      auto verdict = gate_verdict(it == previous.end() ? nullptr : &it->second, stage.figures,
                                  gate_thresholds(&config_json_, name));
      if (!verdict) continue;
      if (options_.force) {
        log_warning(name, str_cat("publish gate overridden by --force: ", *verdict));
        continue;
      }
      stage.figures.held = true;
      stage.figures.held_reason = verdict;
      pages_.records_held += stage.figures.records;
      held_.push_back(name);
      log_error(name, str_cat("held by the publish gate: ", *verdict, "; ",
                              stage.figures.records
                                  ? str_cat("its ", stage.figures.records, " records are kept in ",
                                            stage.file.string(), " and were not applied")
                                  : std::string("nothing of it was applied")));
    }
  }

  void apply() {
    TrialStore& store = run_.store();
    SQLite::Database& db = run_.database();
    const int64_t trials_before = db.execAndGet("SELECT count(*) FROM trials").getInt64();
    const int64_t last_trial_rowid =
        db.execAndGet("SELECT ifnull(max(rowid), 0) FROM trials").getInt64();
    const int64_t last_change =
        db.execAndGet("SELECT ifnull(max(id), 0) FROM trial_changes").getInt64();
    std::set<std::string> applied_trials;
    StreamProgress stream;
    stream.run_id = run_.run_id();
    size_t total = records_staged_ - pages_.records_held;
    for (auto& [name, stage] : stages_) {
      if (stage.figures.held || stage.file.empty()) continue;
      applied_trials.insert(stage.trials.begin(), stage.trials.end());
      std::ifstream in(stage.file, std::ios::binary);
      if (!in) throw make_error(stage.file.string(), ": cannot read the staged records");
      store_stream(in, name, store, options_.batch, stream, [&] {
        kill_point("store", ++batches_committed_);
        progress_.show([&] { return progress_bar("storing", stream.records_read, total); });
      });
      store.commit();
      in.close();
      std::error_code ec;
      fs::remove(stage.file, ec);
    }
    store_stats_ = stream.stats(store);
    records_read_ = stream.records_read;
    // Trials, not records: a trial shown by three sources is one trial.
    trials_new_ = static_cast<size_t>(db.execAndGet("SELECT count(*) FROM trials").getInt64() -
                                      trials_before);
    // Changed: trials that existed before this run (rowids only grow) with a change in it.
    SQLite::Statement changed(
        db,
        "SELECT count(DISTINCT c.nct_id) FROM trial_changes c "
        "JOIN trials t ON t.nct_id = c.nct_id WHERE c.id > ? AND t.rowid <= ?");
    changed.bind(1, last_change);
    changed.bind(2, last_trial_rowid);
    changed.executeStep();
    trials_changed_ = static_cast<size_t>(changed.getColumn(0).getInt64());
    size_t touched = trials_new_ + trials_changed_;
    trials_unchanged_ = applied_trials.size() > touched ? applied_trials.size() - touched : 0;
    std::error_code ec;
    fs::remove(stage_dir_, ec);  // only when empty: held sources' files stay
    fs::remove(held_root_, ec);
  }

  // Per format: only when every source of that format in the config ran to a complete
  // discovery and was applied, so that "not listed" means gone upstream.
  void sweep_withdrawals() {
    std::map<std::string, ListedPages> listed;
    std::set<std::string> incomplete;
    for (const SourceConfig& source : config_.sources) {
      auto report = summary_.sources.find(source.name);
      auto stage = stages_.find(source.name);
      bool complete = report != summary_.sources.end() && report->second.discovery_complete &&
                      stage != stages_.end() && !stage->second.figures.held;
      if (!complete) {
        incomplete.insert(source.format);
        continue;
      }
      ListedPages& pages = listed[source.format];
      pages.urls.insert(report->second.listed_urls.begin(), report->second.listed_urls.end());
      pages.nct_ids.insert(report->second.listed_nct_ids.begin(),
                           report->second.listed_nct_ids.end());
    }
    SQLite::Transaction transaction(run_.database(), SQLite::TransactionBehavior::IMMEDIATE);
    const std::string now = utc_now_iso8601();
    for (const auto& [format, pages] : listed) {
      if (incomplete.count(format)) continue;
      WithdrawalCounts counts = sweep_vanished(run_.database(), format, pages, now);
      withdrawn_ += counts.trials_withdrawn;
      if (counts.sources_vanished)
        log_warning(format, str_cat(counts.sources_vanished,
                                    " source records no longer listed "
                                    "upstream; marked vanished"));
      if (counts.trials_withdrawn)
        log_warning(format,
                    str_cat(counts.trials_withdrawn, " trials marked withdrawn from source"));
    }
    transaction.commit();
    std::set<std::string> held(held_.begin(), held_.end());
    LookupSweepCounts swept = run_lookup_sweep(
        run_.database(), config_, select_sources(config_, options_.sources), summary_, held);
    withdrawn_ += swept.trials_withdrawn;
  }

  int finish() {
    log_status_clear();
    const bool failed = store_stats_.failed > 0 || pages_.failed > 0;
    RunStatus status = !held_.empty() ? RunStatus::held
                       : failed       ? RunStatus::partial
                                      : RunStatus::ok;
    pages_.trials_withdrawn = withdrawn_;
    std::optional<std::string> message;
    if (!held_.empty()) {
      std::vector<std::string> parts;
      for (const auto& name : held_)
        parts.push_back(str_cat(name, ": ", *stages_.at(name).figures.held_reason));
      message = join(parts, " | ");
    }
    {
      SQLite::Transaction transaction(run_.database(), SQLite::TransactionBehavior::IMMEDIATE);
      RunFigures figures;
      for (const auto& [name, stage] : stages_) figures[name] = stage.figures;
      save_run_sources(run_.database(), run_.run_id(), figures);
      update_run_pages(run_.database(), run_.run_id(), pages_, message);
      update_run(run_.database(), run_.run_id(), records_read_, store_stats_, status);
      transaction.commit();
    }
    print_summary(status, message);
    if (status == RunStatus::held) return kExitHeld;
    return failed ? kExitInputsFailed : kExitOk;
  }

  void print_summary(RunStatus status, const std::optional<std::string>& message) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1f", seconds);
    std::string line;
    if (log_config().format == LogFormat::json) {
      line = str_cat(
          "{\"run\":", run_.run_id(), ",\"status\":", json_quote(run_status_name(status)),
          ",\"seconds\":", duration, ",\"pages_fetched\":", pages_.fetched,
          ",\"pages_unchanged\":", pages_.unchanged, ",\"pages_parsed\":", pages_.parsed,
          ",\"pages_failed\":", pages_.failed, ",\"trials_new\":", trials_new_,
          ",\"trials_changed\":", trials_changed_, ",\"trials_unchanged\":", trials_unchanged_,
          ",\"records_stored\":", store_stats_.stored(),
          ",\"records_failed\":", store_stats_.failed, ",\"records_held\":", pages_.records_held,
          ",\"trials_withdrawn\":", withdrawn_, ",\"held\":[");
      for (size_t i = 0; i < held_.size(); ++i)
        line += str_cat(i ? "," : "", "{\"source\":", json_quote(held_[i]),
                        ",\"reason\":", json_quote(*stages_.at(held_[i]).figures.held_reason), "}");
      line += "]}";
    } else {
      line = str_cat("nightly run ", run_.run_id(), ": ", run_status_name(status), " in ", duration,
                     " s; pages ", pages_.fetched, " fetched (", pages_.unchanged, " unchanged), ",
                     pages_.parsed, " parsed, ", pages_.failed, " failed; trials ", trials_new_,
                     " new, ", trials_changed_, " changed, ", trials_unchanged_, " unchanged, ",
                     withdrawn_, " withdrawn; records ", store_stats_.stored(), " stored, ",
                     store_stats_.failed, " failed, ", pages_.records_held, " held");
      if (message) line += str_cat(" (held: ", *message, ")");
    }
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
  }

  const NightlyOptions& options_;
  const FetchConfig& config_;
  const JsonDocument& config_json_;
  LockedRun& run_;
  ProgressLine progress_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::string held_root_;
  fs::path stage_dir_;
  std::map<std::string, SourceStage> stages_;
  std::unique_ptr<SQLite::Statement> find_stored_;
  FetchSummary summary_;
  RunPages pages_;
  size_t fetch_failed_ = 0;
  size_t records_staged_ = 0;
  size_t records_read_ = 0;
  size_t withdrawn_ = 0;
  size_t batches_committed_ = 0;
  size_t trials_new_ = 0;
  size_t trials_changed_ = 0;
  size_t trials_unchanged_ = 0;
  StoreStats store_stats_;
  std::vector<std::string> held_;
};

}  // namespace

int nightly_main(const std::vector<std::string>& args) {
  return run_subcommand(
      args, "trialmill nightly", nightly_option_specs(), nightly_usage, [&](const ParsedArgs&) {
        const NightlyOptions options = parse_nightly_command_line(args);
        const FetchConfig config = load_fetch_config(options.config_path, options.base);
        JsonDocument config_json;
        try {
          config_json = parse_json(read_file(options.config_path), options.config_path);
        } catch (const Error& e) {
          throw StartError(e.what());
        }
        // An unknown --source is a usage error; a live run needs a real contact.
        if (options.dry_run) return nightly_dry_run(options, config);
        require_real_contact(config, select_sources(config, options.sources));
        for (const auto& source : config.sources) gate_thresholds(&config_json, source.name);

        LockedRun run(options.db_path, join_command("trialmill nightly", args));
        try {
          NightlyRun nightly(options, config, config_json, run);
          return nightly.run();
        } catch (const std::exception& e) {
          try {
            update_run(run.database(), run.run_id(), 0, run.store().stats(), RunStatus::error);
          } catch (...) {
            // The database itself failed: the next run marks this one interrupted.
          }
          throw Error(str_cat("the run failed: ", e.what(),
                              "; committed batches stand, the next run redoes the rest"));
        }
      });
}

}  // namespace trialmill
