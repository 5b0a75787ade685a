#include "trialmill/driver/nightly.hpp"

#include <filesystem>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly_dry_run.hpp"
#include "trialmill/driver/nightly_run.hpp"
#include "trialmill/driver/publish_gate.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/fetch/fetch_command.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
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

int nightly_main(const std::vector<std::string>& args) {
  return run_subcommand(
      args, "trialmill nightly", nightly_option_specs(), nightly_usage, [&](const ParsedArgs&) {
        const NightlyOptions options = parse_nightly_command_line(args);
        const RunConfig run_config =
            load_run_config(options.config_path, options.base);  // read once
        const FetchConfig& config = run_config.fetch;
        const JsonDocument& config_json = run_config.json;
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
