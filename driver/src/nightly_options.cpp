#include "trialmill/driver/nightly_options.hpp"

#include "trialmill/cli.hpp"
#include "trialmill/driver/nightly.hpp"

namespace trialmill {

void declare_nightly_options(CLI::App& app, NightlyOptions& o) {
  declare_sources_options(app, o);
  add_optional(app, "--held", o.held_dir, "where held records are kept (default: DB.held/)", "DIR");
  add_optional(app, "--since", o.since,
               "incremental discovery: pages updated on or after this date", "YYYY-MM-DD")
      ->check(iso_date());
  app.add_flag("--force", o.force, "apply what the publish gate would hold (after checking it)");
  app.add_flag("--dry-run", o.dry_run,
               "print the requests a run would make (per host, rate, expected duration); fetch "
               "nothing");
  add_batch_option(app, o.batch);
  // A dry run needs no database (given, it estimates from the last run): checked in run_nightly.
  app.get_option("--db")
      ->required(false)
      ->description("the SQLite database to update (required unless --dry-run)");
}

std::string default_held_dir(const std::string& db_path) {
  return db_path + ".held";
}

Command nightly_command() {
  return make_command<NightlyOptions>(
      {"nightly", "fetch, parse, normalize and store every source, behind the publish gate",
       "--config FILE --db PATH [--archive DIR] [--held DIR]\n"
       "[--base URL] [--source NAME]... [--since YYYY-MM-DD]\n"
       "[--force] [--batch N] [--quiet] [--log-format text|json]\n"
       "--dry-run --config FILE [--db PATH] [--base URL] [--source NAME]...",
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
       "--dry-run prints, per source and per host, the requests a run would make, their rate\n"
       "and the expected duration, and fetches nothing.\n"
       "\n"
       "Runs under a lock (DB.lock): a second run exits 2 while the first is alive; a killed\n"
       "run's lock is taken over. Prints one summary line on stdout (JSON with --log-format\n"
       "json) and records the run in the runs and run_sources tables. A progress line is shown\n"
       "when stderr is a terminal.\n",
       "  0  every page fetched, parsed and stored\n"
       "  1  some pages or records failed (each named on stderr); the rest was stored\n"
       "  2  the run could not start: usage error, another run holds the lock, the config or\n"
       "     the database cannot be used\n"
       "  3  the publish gate held some source (named on stderr and in the summary)\n"},
      declare_nightly_options, run_nightly);
}

}  // namespace trialmill
