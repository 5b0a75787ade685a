#include "trialmill/store/export_command.hpp"

#include <SQLiteCpp/Exception.h>

#include <iostream>
#include <optional>

#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/export.hpp"
#include "trialmill/store/schema.hpp"

namespace trialmill {

std::vector<OptionSpec> export_option_specs() {
  std::vector<OptionSpec> specs = {
      {"db", 0, true, "the trialmill database to read (required; opened read-only)", "PATH"},
      {"format", 0, true, "jsonl (default) or csv", "FORMAT"},
      {"where-status", 0, true, "only trials with this overall_status (e.g. RECRUITING)", "S"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

std::string export_usage(const std::string& program) {
  return str_cat(
      "Usage: ", program, " --db PATH [--format jsonl|csv] [--where-status S]\n\n",
      "Writes the canonical trials of a trialmill database to stdout, ordered by NCT ID, from one\n"
      "consistent snapshot (a running trialmill-store is not disturbed).\n"
      "  jsonl  one trial record per line: the canonical record, its eligibility_thresholds and a\n"
      "         source object; trialmill-store reads it back into the same trial.\n"
      "  csv    RFC 4180 with a header row: the columns of the trial_summary view.\n\n",
      "Options:\n", format_options_help(export_option_specs()),
      "\nEXIT STATUS\n"
      "  0  every selected trial was written\n"
      "  1  the export failed part-way (database or output error)\n"
      "  2  usage error, or the database is missing, not a trialmill database, or of another\n"
      "     schema version\n");
}

ExportOptions export_options(const ParsedArgs& args) {
  ExportOptions options;
  if (!args.value("db")) throw UsageError("--db PATH is required");
  if (!args.positional.empty())
    throw UsageError(str_cat("unexpected argument '", args.positional.front(), "'"));
  if (auto format = args.value("format")) {
    if (*format == "jsonl") {
      options.format = ExportFormat::jsonl;
    } else if (*format == "csv") {
      options.format = ExportFormat::csv;
    } else {
      throw UsageError(str_cat("--format must be jsonl or csv, not '", *format, "'"));
    }
  }
  if (auto status = args.value("where-status")) {
    if (!in_vocabulary(Vocabulary::overall_status, *status))
      throw UsageError(str_cat("--where-status: '", *status, "' is not an overall_status value"));
    options.status = *status;
  }
  return options;
}

int export_command(const ParsedArgs& args) {
  const ExportOptions options = export_options(args);
  std::optional<SQLite::Database> db;
  try {
    db.emplace(open_store_database_readonly(*args.value("db")));
  } catch (const DatabaseError& e) {
    log_error(*args.value("db"), e.what());
    return kExitUsage;
  }

  std::ios::sync_with_stdio(false);
  size_t count = 0;
  try {
    count = export_trials(*db, options, std::cout);
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

}  // namespace trialmill
