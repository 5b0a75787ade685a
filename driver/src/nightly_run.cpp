#include "trialmill/driver/nightly_run.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "trialmill/driver/fault_injection.hpp"
#include "trialmill/driver/fetched_pages.hpp"
#include "trialmill/driver/gate_stage.hpp"
#include "trialmill/driver/nightly_sweep.hpp"
#include "trialmill/driver/nightly_summary.hpp"
#include "trialmill/driver/progress_line.hpp"
#include "trialmill/driver/publish_gate.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/withdrawal_sweep.hpp"
#include "trialmill/error.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/run_sources.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/stored_records.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace fs = std::filesystem;

RunConfig load_run_config(const std::string& path, const std::optional<std::string>& base) {
  const std::string text = read_fetch_config_text(path);
  RunConfig config{parse_fetch_config(text, path, base), JsonDocument()};
  try {
    config.json = parse_json(text, path);
  } catch (const Error& e) {
    throw StartError(e.what());
  }
  return config;
}

struct NightlyRun::State {
  State(const NightlyOptions& options_in, const FetchConfig& config_in,
        const JsonDocument& config_json_in, LockedRun& run_in)
      : options(options_in),
        config(config_in),
        config_json(config_json_in),
        run(run_in),
        held_root(options.held_dir.value_or(default_held_dir(options.db_path))),
        stage(run.database(), fs::path(held_root) / str_cat("run-", run.run_id())),
        pipeline(stage),
        progress(log_status_wanted()) {}

  void on_page(const ManifestLine& page) {
    stage.set_source(page.source, page.format);
    SourceStage& source = stage.source(page.source, page.format);
    ++pages.fetched;
    if (page.http_status == 304) ++pages.unchanged;
    PageOutcome outcome = pipeline.page(page_input(page), page.path);
    source.figures.records += outcome.records;
    source.figures.parse_failed += outcome.failed;
    if (outcome.records > 0) ++pages.parsed;
    if (outcome.failed > 0 && outcome.records == 0) ++pages.failed;
    kill_point("fetch", pages.fetched);
    progress.show([&] {
      return str_cat("fetching: ", pages.fetched, " pages (", pages.unchanged, " unchanged), ",
                     pipeline.records(), " records, ", pages.failed + summary.failed, " failed");
    });
  }

  void fetch_and_stage() {
    FetchOptions fetch = fetch_options_for(options);
    fetch.since = options.since;
    fetch.last_good_run = last_good_run_date(run.database(), "trialmill nightly");
    pipeline.begin();
    summary = run_fetch(config, fetch, [&](const ManifestLine& page) { on_page(page); });
    for (auto& [name, report] : summary.sources) {
      const SourceConfig* source = config.find_source(name);
      SourceStage& staged = stage.source(name, source ? source->format : "");
      staged.figures.pages = report.pages;
      staged.figures.pages_unchanged = report.unchanged;
      staged.figures.fetch_failed = report.failed;
      staged.figures.discovery_complete = report.discovery_complete;
    }
    pages.failed += summary.failed;
    pipeline.finish();
  }

  void judge() {
    RunFigures previous = previous_applied_figures(run.database(), run.run_id());
    for (auto& [name, source] : stage.sources()) {
      auto it = previous.find(name);
      auto verdict = gate_verdict(it == previous.end() ? nullptr : &it->second, source.figures,
                                  gate_thresholds(&config_json, name));
      if (!verdict) continue;
      if (options.force) {
        log_warning(name, str_cat("publish gate overridden by --force: ", *verdict));
        continue;
      }
      source.figures.held = true;
      source.figures.held_reason = verdict;
      pages.records_held += source.figures.records;
      held.emplace_back(name, *verdict);
      log_error(name, str_cat("held by the publish gate: ", *verdict, "; ",
                              source.figures.records
                                  ? str_cat("its ", source.figures.records, " records are kept in ",
                                            source.file.string(), " and were not applied")
                                  : std::string("nothing of it was applied")));
    }
  }

  void apply() {
    TrialStore& store = run.store();
    const TrialsMark mark = mark_trials(run.database());
    std::set<std::string> applied_trials;
    StreamProgress stream;
    stream.run_id = run.run_id();
    size_t total = pipeline.records() - pages.records_held;
    size_t batches = 0;
    for (auto& [name, source] : stage.sources()) {
      if (source.figures.held) continue;
      applied.insert(name);
      applied_trials.insert(source.trials.begin(), source.trials.end());
      stage.apply(name, store, options.batch, stream, [&] {
        kill_point("store", ++batches);
        progress.show([&] { return progress_bar("storing", stream.records_read, total); });
      });
    }
    stored = stream.stats(store);
    records_read = stream.records_read;
    // Trials, not records: a trial shown by three sources is one trial.
    TrialsSinceMark since = trials_since(run.database(), mark);
    trials_new = since.added;
    trials_changed = since.changed;
    size_t touched = trials_new + trials_changed;
    trials_unchanged = applied_trials.size() > touched ? applied_trials.size() - touched : 0;
    stage.remove_if_empty();
  }

  int finish() {
    log_status_clear();
    const bool failed = stored.failed > 0 || pages.failed > 0;
    RunStatus status = !held.empty() ? RunStatus::held
                       : failed      ? RunStatus::partial
                                     : RunStatus::ok;
    std::optional<std::string> message;
    if (!held.empty()) {
      std::vector<std::string> parts;
      for (const auto& [name, reason] : held) parts.push_back(str_cat(name, ": ", reason));
      message = join(parts, " | ");
    }
    {
      SQLite::Transaction transaction(run.database(), SQLite::TransactionBehavior::IMMEDIATE);
      RunFigures figures;
      for (const auto& [name, source] : stage.sources()) figures[name] = source.figures;
      save_run_sources(run.database(), run.run_id(), figures);
      update_run_pages(run.database(), run.run_id(), pages, message);
      update_run(run.database(), run.run_id(), records_read, stored, status);
      transaction.commit();
    }
    NightlySummary line{
        run.run_id(),
        status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        pages,
        trials_new,
        trials_changed,
        trials_unchanged,
        stored,
        held};
    std::string text = nightly_summary_line(line, log_config().format == LogFormat::json);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    if (status == RunStatus::held) return kExitHeld;
    return failed ? kExitInputsFailed : kExitOk;
  }

  const NightlyOptions& options;
  const FetchConfig& config;
  const JsonDocument& config_json;
  LockedRun& run;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::string held_root;
  GateStage stage;
  RecordPipeline pipeline;
  ProgressLine progress;
  FetchSummary summary;
  RunPages pages;
  std::set<std::string> applied;
  std::vector<std::pair<std::string, std::string>> held;  // source, reason
  StoreStats stored;
  size_t records_read = 0;
  size_t trials_new = 0;
  size_t trials_changed = 0;
  size_t trials_unchanged = 0;
};

NightlyRun::NightlyRun(const NightlyOptions& options, const FetchConfig& config,
                       const JsonDocument& config_json, LockedRun& run)
    : state_(std::make_unique<State>(options, config, config_json, run)) {}

NightlyRun::~NightlyRun() = default;

int NightlyRun::run() {
  State& s = *state_;
  remove_abandoned_stages(s.held_root, s.run.database());
  s.fetch_and_stage();
  s.judge();
  s.apply();
  s.pages.trials_withdrawn = sweep_withdrawals(s.run.database(), s.config, s.summary, s.applied);
  s.pages.trials_withdrawn +=
      run_lookup_sweep(s.run.database(), s.config, select_sources(s.config, s.options.sources),
                       s.summary, s.applied)
          .trials_withdrawn;
  return s.finish();
}

}  // namespace trialmill
