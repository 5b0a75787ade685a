// `trialmill run`: the parse -> normalize -> store pipeline in one process, over pages at hand:
// files, or the manifest lines trialmill-fetch writes on stdin.
#include <iostream>

#include "trialmill/cli.hpp"
#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/store_sink.hpp"
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

struct RunPagesOptions {
  std::string db;
  std::optional<std::string> format;
  size_t batch = 500;
  std::vector<std::string> pages;
  std::string command_line;
};

void declare_run_pages_options(CLI::App& app, RunPagesOptions& o) {
  add_db_option(app, o.db, "the SQLite database to create or update (required)");
  add_format_option(app, o.format, "parse every page as this format instead of detecting it");
  add_batch_option(app, o.batch);
  app.add_option("PAGE", o.pages,
                 "pages to store; none: trialmill-fetch's manifest lines on stdin");
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

int run_pages(const RunPagesOptions& options) {
  TrialStore store(options.db);
  PageRun run(store, begin_run(store.database(), options.command_line), options.batch);
  if (!options.pages.empty()) {
    for (const auto& path : options.pages)
      run.page(PageInput{path, std::nullopt, std::nullopt, options.format, std::nullopt}, path);
  } else {
    read_manifest_pages(
        standard_input(), "stdin", options.format,
        [&](const ManifestPage& page) { run.page(page.input, page.path); },
        [&](const std::string& where, const std::string& message) {
          log_error(where, message);
          run.failed_input();
        });
  }
  return run.finish();
}

}  // namespace

Command run_pages_command() {
  return make_command<RunPagesOptions>(
      {"run", "parse, normalize and store pages at hand (files, or trialmill-fetch's lines)",
       "--db PATH [--format FORMAT] [--batch N] [PAGE...]",
       "trialmill-parse | trialmill-normalize | trialmill-store in one process, for pages at\n"
       "hand: each PAGE file (HTML, visible text or API JSON, format detected), or without PAGE\n"
       "the manifest lines of trialmill-fetch on stdin. No publish gate and no lock: for the\n"
       "nightly job use `trialmill nightly`. One summary line on stderr.\n",
       "  0  every page parsed and every record stored\n"
       "  1  some pages or records failed (each named on stderr); the others were stored\n"
       "  2  usage error, or the database cannot be opened\n"},
      declare_run_pages_options, run_pages);
}

}  // namespace trialmill
