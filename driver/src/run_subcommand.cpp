// `trialmill run`: the parse -> normalize -> store pipeline in one process, over pages at hand:
// files, or the manifest lines trialmill-fetch writes on stdin.
#include <iostream>

#include "trialmill/io.hpp"
#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/page_records.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
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
                                 format ? format : get_string(manifest, "format"),
                                 get_string(manifest, "nct_id")},
                       *path);
            } catch (const Error& e) {
              log_error(name, e.what());
              run.failed_input();
            }
          }
        }
        return run.finish();
      });
}

}  // namespace trialmill
