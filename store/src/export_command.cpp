#include "trialmill/store/export_command.hpp"

#include <SQLiteCpp/Exception.h>

#include <iostream>
#include <optional>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/export.hpp"
#include "trialmill/store/schema.hpp"

namespace trialmill {

void declare_export_options(CLI::App& app, ExportCommandOptions& o) {
  add_db_option(app, o.db, "the trialmill database to read (required; opened read-only)");
  app.add_option_function<std::string>(
         "--format",
         [&o](const std::string& format) {
           o.what.format = format == "csv" ? ExportFormat::csv : ExportFormat::jsonl;
         },
         "jsonl (default) or csv")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jsonl", "csv"}).description(""));
  add_optional(app, "--where-status", o.what.status,
               "only trials with this overall_status (e.g. RECRUITING)", "S")
      ->check(CLI::Validator(
          [](std::string& status) {
            return in_vocabulary(Vocabulary::overall_status, status)
                       ? std::string()
                       : str_cat("'", status, "' is not an overall_status value");
          },
          "", "S"));
}

int run_export_command(const ExportCommandOptions& options) {
  SQLite::Database db = open_store_database_readonly(options.db);
  std::ios::sync_with_stdio(false);
  size_t count = 0;
  try {
    count = export_trials(db, options.what, std::cout);
  } catch (const SQLite::Exception& e) {
    throw Error(str_cat("database error: ", e.what()));
  }
  std::cout.flush();
  if (!std::cout) {
    log_error({}, "cannot write to stdout");
    return kExitInputsFailed;
  }
  log_info(str_cat("exported ", count, " trials"));
  return kExitOk;
}

Command export_command(const std::string& name) {
  return make_command<ExportCommandOptions>(
      {name, "write the canonical trials as JSON Lines or CSV",
       "--db PATH [--format jsonl|csv] [--where-status S]",
       "Writes the canonical trials of a trialmill database to stdout, ordered by NCT ID, from "
       "one\n"
       "consistent snapshot (a running trialmill-store is not disturbed).\n"
       "  jsonl  one trial record per line: the canonical record, its eligibility_thresholds and "
       "a\n"
       "         source object; trialmill-store reads it back into the same trial.\n"
       "  csv    RFC 4180 with a header row: the columns of the trial_summary view.\n",
       "  0  every selected trial was written\n"
       "  1  the export failed part-way (database or output error)\n"
       "  2  usage error, or the database is missing, not a trialmill database, or of another\n"
       "     schema version\n"},
      declare_export_options, run_export_command);
}

}  // namespace trialmill
