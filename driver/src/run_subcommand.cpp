// `trialmill run`: the parse -> normalize -> store pipeline in one process, over pages at hand:
// files, or the manifest lines trialmill-fetch writes on stdin.
#include <iostream>

#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/store_sink.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/parse/manifest_pages.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

std::vector<OptionSpec> run_option_specs() {
  std::vector<OptionSpec> specs = {
      {"db", 0, true, "the SQLite database to create or update (required)", "PATH"},
      {"format", 'f', true, "parse every page as this format instead of detecting it", "FORMAT"},
      {"batch", 0, true, "records per transaction (default 500)", "N"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

std::string run_usage() {
  return "Usage: trialmill run --db PATH [--format FORMAT] [--batch N] [PAGE...]\n"
         "\n"
         "trialmill-parse | trialmill-normalize | trialmill-store in one process, for pages at\n"
         "hand: each PAGE file (HTML, visible text or API JSON, format detected), or without PAGE\n"
         "the manifest lines of trialmill-fetch on stdin. No publish gate and no lock: for the\n"
         "nightly job use `trialmill nightly`. One summary line on stderr.\n"
         "\n"
         "Options:\n" +
         format_options_help(run_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every page parsed and every record stored\n"
         "  1  some pages or records failed (each named on stderr); the others were stored\n"
         "  2  usage error, or the database cannot be opened\n";
}

// The pipeline into the store, and the run's row.
class PageRun {
 public:
  PageRun(TrialStore& store, int64_t run_id, size_t batch)
      : store_(store), run_id_(run_id), sink_(store, batch, run_id), pipeline_(sink_) {
    pipeline_.begin();
  }

  void page(const PageInput& input, const std::string& path) { pipeline_.page(input, path); }
  void failed_input() { pipeline_.page_unreadable(); }

  int finish() {
    const RunPages& pages = pipeline_.pages();
    const StoreStats stats = sink_.stats();
    const bool failed = pages.failed > 0 || stats.failed > 0;
    update_run_pages(store_.database(), run_id_, pages, std::nullopt);
    update_run(store_.database(), run_id_, sink_.records(), stats,
               failed ? RunStatus::partial : RunStatus::ok);
    pipeline_.finish();
    // The result, not a diagnostic: printed even with --quiet.
    std::fprintf(stderr,
                 "trialmill run: %zu pages (%zu failed), %zu records: %zu new, %zu changed, %zu "
                 "unchanged, %zu failed\n",
                 pages.fetched, pages.failed, sink_.records(), stats.inserted, stats.updated,
                 stats.unchanged, stats.failed);
    return failed ? kExitInputsFailed : kExitOk;
  }

 private:
  TrialStore& store_;
  int64_t run_id_;
  StoreSink sink_;
  RecordPipeline pipeline_;
};

}  // namespace

int run_main(const std::vector<std::string>& args) {
  return run_subcommand(
      args, "trialmill run", run_option_specs(), run_usage, [&](const ParsedArgs& parsed) {
        auto db = parsed.value("db");
        if (!db) throw UsageError("--db PATH is required");
        auto format = parsed.value("format");
        if (format && !in_vocabulary(Vocabulary::source_format, *format))
          throw UsageError(str_cat("unknown format ", *format));
        size_t batch = 500;
        if (auto value = parsed.value("batch")) batch = parse_positive_count("batch", *value);

        TrialStore store(*db);
        PageRun run(store, begin_run(store.database(), join_command("trialmill run", args)), batch);
        if (!parsed.positional.empty()) {
          for (const auto& path : parsed.positional)
            run.page(PageInput{path, std::nullopt, std::nullopt, format, std::nullopt}, path);
        } else {
          read_manifest_pages(
              standard_input(), "stdin", format,
              [&](const ManifestPage& page) { run.page(page.input, page.path); },
              [&](const std::string& where, const std::string& message) {
                log_error(where, message);
                run.failed_input();
              });
        }
        return run.finish();
      });
}

}  // namespace trialmill
