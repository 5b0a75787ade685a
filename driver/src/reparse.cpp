#include "trialmill/driver/reparse.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/store_sink.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/fetch/archive.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/log.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/stored_records.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

std::vector<OptionSpec> reparse_option_specs() {
  std::vector<OptionSpec> specs = {
      {"db", 0, true, "the SQLite database to update (required)", "PATH"},
      {"archive", 0, true, "the raw archive (default: archive/ beside the database)", "DIR"},
      {"format", 'f', true, "only pages of this format (repeatable)", "FORMAT"},
      {"batch", 0, true, "records per transaction (default 500)", "N"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

ReparseOptions parse_reparse_command_line(const std::vector<std::string>& args) {
  ParsedArgs parsed = parse_args(args, reparse_option_specs());
  ReparseOptions options;
  if (parsed.has("help") || parsed.has("version")) return options;
  auto db = parsed.value("db");
  if (!db) throw UsageError("--db PATH is required");
  options.db_path = *db;
  options.archive_dir = parsed.value("archive");
  if (auto it = parsed.values.find("format"); it != parsed.values.end()) {
    for (const auto& format : it->second)
      if (!in_vocabulary(Vocabulary::source_format, format))
        throw UsageError(str_cat("unknown format ", format));
    options.formats = it->second;
  }
  if (auto batch = parsed.value("batch")) options.batch = parse_positive_count("batch", *batch);
  for (const auto& id : parsed.positional) {
    std::string upper = id;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!is_nct_id(upper)) throw UsageError(str_cat("not an NCT ID: '", id, "'"));
    options.nct_ids.push_back(upper);
  }
  return options;
}

std::string reparse_usage() {
  return "Usage: trialmill reparse --db PATH [--archive DIR] [--format FORMAT]... [--batch N]\n"
         "                         [NCT_ID...]\n"
         "\n"
         "Parses again, from the raw archive, the page behind every stored source record (or\n"
         "those of the given formats or trials), normalizes and stores the records: what to run\n"
         "after a parser or normalizer fix. Nothing is fetched. Unchanged records write nothing;\n"
         "changed ones are recorded in trial_changes like any update. Runs under the nightly "
         "lock.\n"
         "\n"
         "Options:\n" +
         format_options_help(reparse_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every page was reparsed and its records stored\n"
         "  1  some page is missing from the archive or failed to parse (named on stderr)\n"
         "  2  the run could not start: usage error, lock held, database or archive unusable\n";
}

int reparse_main(const std::vector<std::string>& args) {
  return run_subcommand(
      args, "trialmill reparse", reparse_option_specs(), reparse_usage, [&](const ParsedArgs&) {
        const ReparseOptions options = parse_reparse_command_line(args);
        const std::string archive_dir =
            options.archive_dir.value_or(default_archive_dir(options.db_path));
        if (!std::filesystem::is_directory(archive_dir))
          throw StartError(str_cat(archive_dir, ": no archive directory here (see --archive)"));
        {
          LockedRun run(options.db_path, join_command("trialmill reparse", args));
          Archive archive(archive_dir);
          const std::set<std::string> wanted(options.nct_ids.begin(), options.nct_ids.end());
          StoreSink sink(run.store(), options.batch, run.run_id());
          RecordPipeline pipeline(sink);
          if (!wanted.empty()) pipeline.only_trials(wanted);
          pipeline.begin();
          for (const ArchivedPage& source :
               archived_pages(run.database(), options.formats, options.nct_ids)) {
            if (!archive.has_blob(source.sha256)) {
              log_error(source.url,
                        str_cat("archived copy ", source.sha256, " is missing from ", archive_dir));
              pipeline.page_unreadable();
              continue;
            }
            PageInput input{source.url, source.url, source.fetched_at,
                            page_format_for_parse(source.format), std::nullopt};
            pipeline.page(input, archive.blob_path(source.sha256));
          }
          const RunPages& pages = pipeline.pages();
          const size_t records = sink.records();
          const StoreStats stats = sink.stats();
          const bool failed = pages.failed > 0 || stats.failed > 0;
          update_run_pages(run.database(), run.run_id(), pages, std::nullopt);
          update_run(run.database(), run.run_id(), records, stats,
                     failed ? RunStatus::partial : RunStatus::ok);
          pipeline.finish();
          std::string line =
              str_cat("reparse run ", run.run_id(), ": ", failed ? "partial" : "ok", "; pages ",
                      pages.fetched, " reparsed, ", pages.failed, " failed; records ", records,
                      ": ", stats.inserted, " new, ", stats.updated, " changed, ", stats.unchanged,
                      " unchanged, ", stats.failed, " failed\n");
          std::fwrite(line.data(), 1, line.size(), stdout);
          return failed ? kExitInputsFailed : kExitOk;
        }
      });
}

}  // namespace trialmill
