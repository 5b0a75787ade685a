#include "trialmill/driver/reingest.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "trialmill/driver/fetched_pages.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/option_groups.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/stored_records.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

struct Fetched {
  std::string input;
  JsonDocument record;
};

std::vector<FetchOptions::KnownPage> known_pages(SQLite::Database& db,
                                                 const std::vector<std::string>& ids) {
  std::vector<FetchOptions::KnownPage> out;
  for (auto& page : stored_pages_of(db, ids))
    out.push_back({std::move(page.format), std::move(page.url), std::move(page.nct_id)});
  return out;
}

// The pipeline's sink of a reingest: records are kept, and stored once every page is fetched.
class CollectSink : public RecordSink {
 public:
  void record(JsonDocument&& record, const PageInput& page) override {
    fetched.push_back({page.name, std::move(record)});
  }
  std::vector<Fetched> fetched;
};

// {"nct_id", "stored": [{"format","url","outcome"}], "changes": [...], "record": {...}}
JsonDocument trial_report(SQLite::Database& db, const std::string& nct_id, int64_t changes_after,
                          const std::vector<std::pair<const Fetched*, StoreOutcome>>& stored) {
  JsonDocument out;
  out.SetObject();
  auto& a = out.GetAllocator();
  set_string(out, "nct_id", nct_id, a);
  JsonValue sources(rapidjson::kArrayType);
  for (const auto& [fetched, outcome] : stored) {
    const JsonValue& source = fetched->record["source"];
    JsonValue item(rapidjson::kObjectType);
    set_string(item, "format", get_string_or(source, "format", ""), a);
    set_string(item, "url", get_string_or(source, "url", ""), a);
    static const char* names[] = {"inserted", "updated", "unchanged", "failed"};
    set_string(item, "outcome", names[static_cast<int>(outcome)], a);
    sources.PushBack(item, a);
  }
  set_member(out, "stored", std::move(sources), a);

  JsonValue changes(rapidjson::kArrayType);
  for (TrialChange& change : trial_changes_since(db, nct_id, changes_after)) {
    JsonValue item(rapidjson::kObjectType);
    set_string(item, "field", change.field, a);
    for (auto* value : {&change.old_value, &change.new_value}) {
      JsonValue copy;
      if (*value) copy.CopyFrom(**value, a);
      set_member(item, value == &change.old_value ? "old" : "new", std::move(copy), a);
    }
    JsonValue format;
    if (change.source_format) format.SetString(change.source_format->c_str(), a);
    set_member(item, "source_format", std::move(format), a);
    set_string(item, "changed_at", change.changed_at, a);
    changes.PushBack(item, a);
  }
  set_member(out, "changes", std::move(changes), a);

  JsonValue record;
  if (auto stored_record = stored_trial_record(db, nct_id)) record.CopyFrom(*stored_record, a);
  set_member(out, "record", std::move(record), a);
  return out;
}

}  // namespace

int run_reingest(const ReingestOptions& options) {
  const FetchConfig config = load_fetch_config(options.config_path, options.base);
  select_sources(config, options.sources);
  LockedRun run(options.db_path, options.command_line);
  SQLite::Database& db = run.database();
  const std::set<std::string> wanted(options.nct_ids.begin(), options.nct_ids.end());

  FetchOptions fetch = fetch_options_for(options);
  fetch.nct_ids = options.nct_ids;
  fetch.known_pages = known_pages(db, options.nct_ids);
  fetch.lookup_not_found_ok = true;

  // Fetched first, stored after: no write transaction stays open while the network is slow.
  CollectSink collected;
  RecordPipeline pipeline(collected);
  pipeline.only_trials(wanted);
  pipeline.begin();
  size_t failed = 0;
  RunPages pages;
  FetchSummary summary = run_fetch(config, fetch, [&](const ManifestLine& page) {
    ++pages.fetched;
    if (page.http_status == 304) ++pages.unchanged;
    PageOutcome outcome = pipeline.page(page_input(page), page.path);
    if (outcome.records) ++pages.parsed;
    if (outcome.failed) {
      ++pages.failed;
      ++failed;
    }
  });
  pipeline.finish();
  const std::vector<Fetched>& fetched = collected.fetched;
  failed += summary.failed;
  pages.failed += summary.failed;

  const int64_t changes_after = last_change_id(db);
  TrialStore& store = run.store();
  std::map<std::string, std::vector<std::pair<const Fetched*, StoreOutcome>>> by_trial;
  for (const Fetched& item : fetched)
    by_trial[get_string_or(item.record, "nct_id", "")].emplace_back(
        &item, store.add(item.record, item.input));
  store.commit();
  const StoreStats& stats = store.stats();

  const bool pretty = isatty(STDOUT_FILENO);
  for (const auto& id : options.nct_ids) {
    auto it = by_trial.find(id);
    if (it == by_trial.end()) {
      log_error(id, "no source gave a record for this trial");
      ++failed;
    }
    JsonDocument report = trial_report(db, id, changes_after,
                                       it == by_trial.end() ? decltype(it->second){} : it->second);
    std::string text = pretty ? to_pretty_json(report) : to_json(report);
    text += "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  std::fflush(stdout);
  const bool any_failed = failed > 0 || stats.failed > 0;
  update_run_pages(db, run.run_id(), pages, std::nullopt);
  update_run(db, run.run_id(), fetched.size(), stats,
             any_failed ? RunStatus::partial : RunStatus::ok);
  log_info(str_cat("reingested ", options.nct_ids.size(), " trials from ", pages.fetched,
                   " pages: ", stats.inserted, " new, ", stats.updated, " changed, ",
                   stats.unchanged, " unchanged, ", stats.failed + failed, " failed"));
  return any_failed ? kExitInputsFailed : kExitOk;
}

}  // namespace trialmill
