// `trialmill run`: the parse -> normalize -> store pipeline in one process, over pages at hand:
// files, or the manifest lines trialmill-fetch writes on stdin.
#include <iostream>

#include "trialmill/cli.hpp"
#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/page_records.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
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

class PageRun {
 public:
  PageRun(TrialStore& store, int64_t run_id, size_t batch)
      : store_(store), run_id_(run_id), batch_(batch) {}

  void page(const PageInput& input, const std::string& path) {
    ++pages_.fetched;
    auto outcome = page_to_records(input, path, [&](JsonDocument&& record) {
      ++records_;
      store_.add(record, input.name);
      if (store_.pending() >= batch_) {
        update_run(store_.database(), run_id_, records_, store_.stats(), RunStatus::running);
        store_.commit();
      }
    });
    if (outcome.records) ++pages_.parsed;
    if (outcome.failed) ++pages_.failed;
  }

  void failed_input() {
    ++pages_.fetched;
    ++pages_.failed;
  }

  int finish() {
    const StoreStats& stats = store_.stats();
    const bool failed = pages_.failed > 0 || stats.failed > 0;
    update_run_pages(store_.database(), run_id_, pages_, std::nullopt);
    update_run(store_.database(), run_id_, records_, stats,
               failed ? RunStatus::partial : RunStatus::ok);
    store_.commit();
    // The result, not a diagnostic: printed even with --quiet.
    std::fprintf(stderr,
                 "trialmill run: %zu pages (%zu failed), %zu records: %zu new, %zu changed, %zu "
                 "unchanged, %zu failed\n",
                 pages_.fetched, pages_.failed, records_, stats.inserted, stats.updated,
                 stats.unchanged, stats.failed);
    return failed ? kExitInputsFailed : kExitOk;
  }

 private:
  TrialStore& store_;
  int64_t run_id_;
  size_t batch_;
  RunPages pages_;
  size_t records_ = 0;
};

int run_pages(const RunPagesOptions& options) {
  TrialStore store(options.db);
  PageRun run(store, begin_run(store.database(), options.command_line), options.batch);
  if (!options.pages.empty()) {
    for (const auto& path : options.pages)
      run.page(PageInput{path, std::nullopt, std::nullopt, options.format, std::nullopt}, path);
  } else {
    JsonLineReader reader(standard_input());
    JsonLineReader::Line line;
    while (reader.next(line)) {
      std::string name = str_cat("stdin:", line.number);
      try {
        JsonDocument manifest = parse_json_line(line, "manifest line");
        auto path = get_string(manifest, "path");
        if (!path) throw make_error("manifest line has no \"path\"");
        auto url = get_string(manifest, "url");
        run.page(PageInput{url.value_or(name), url, get_string(manifest, "fetched_at"),
                           options.format ? options.format : get_string(manifest, "format"),
                           get_string(manifest, "nct_id")},
                 *path);
      } catch (const Error& e) {
        log_error(name, e.what());
        run.failed_input();
      }
    }
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
