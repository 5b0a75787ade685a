#include "trialmill/driver/reingest.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "trialmill/driver/fetched_pages.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/stored_records.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

std::vector<OptionSpec> reingest_option_specs() {
  std::vector<OptionSpec> specs = {
      {"config", 'c', true, "the sources config (required)", "FILE"},
      {"db", 0, true, "the SQLite database to update (required)", "PATH"},
      {"archive", 0, true, "the raw archive (default: archive/ beside the database)", "DIR"},
      {"base", 0, true, "fills {base} in the config's URLs (an offline registry)", "URL"},
      {"source", 0, true, "only this source (repeatable; default: every source)", "NAME"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

ReingestOptions parse_reingest_command_line(const std::vector<std::string>& args) {
  ParsedArgs parsed = parse_args(args, reingest_option_specs());
  ReingestOptions options;
  if (parsed.has("help") || parsed.has("version")) return options;
  auto config = parsed.value("config");
  auto db = parsed.value("db");
  if (!config) throw UsageError("--config FILE is required");
  if (!db) throw UsageError("--db PATH is required");
  options.config_path = *config;
  options.db_path = *db;
  options.archive_dir = parsed.value("archive");
  options.base = parsed.value("base");
  if (auto it = parsed.values.find("source"); it != parsed.values.end())
    options.sources = it->second;
  if (parsed.positional.empty()) throw UsageError("name at least one NCT ID");
  for (const auto& id : parsed.positional) {
    std::string upper = id;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!is_nct_id(upper)) throw UsageError(str_cat("not an NCT ID: '", id, "'"));
    if (std::find(options.nct_ids.begin(), options.nct_ids.end(), upper) == options.nct_ids.end())
      options.nct_ids.push_back(upper);
  }
  return options;
}

std::string reingest_usage() {
  return "Usage: trialmill reingest --config FILE --db PATH [--archive DIR] [--base URL]\n"
         "                          [--source NAME]... NCT_ID...\n"
         "\n"
         "Fetches each trial afresh from every source that has it (the source's lookup URL, or\n"
         "the page the database last stored for it), parses, normalizes and stores it, then\n"
         "prints, per trial, the canonical record and what changed, as JSON on stdout (indented\n"
         "on a terminal, one line per trial otherwise). Readers of the database are never\n"
         "blocked; the publish gate does not apply (a page that lost fields still cannot blank\n"
         "a stored value). Runs under the nightly lock.\n"
         "\n"
         "Options:\n" +
         format_options_help(reingest_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every trial was fetched and stored from at least one source, no page failed\n"
         "  1  some page failed, or some trial was found nowhere (named on stderr)\n"
         "  2  the run could not start: usage error, lock held, config or database unusable\n";
}

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

int reingest_main(const std::vector<std::string>& args) {
  return run_subcommand(
      args, "trialmill reingest", reingest_option_specs(), reingest_usage, [&](const ParsedArgs&) {
        const ReingestOptions options = parse_reingest_command_line(args);
        const FetchConfig config = load_fetch_config(options.config_path, options.base);
        select_sources(config, options.sources);
        LockedRun run(options.db_path, join_command("trialmill reingest", args));
        SQLite::Database& db = run.database();
        const std::set<std::string> wanted(options.nct_ids.begin(), options.nct_ids.end());

        FetchOptions fetch = fetch_options(options.config_path, options.sources,
                                           options.archive_dir, options.db_path, options.base);
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
          JsonDocument report = trial_report(
              db, id, changes_after, it == by_trial.end() ? decltype(it->second){} : it->second);
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
      });
}

}  // namespace trialmill
