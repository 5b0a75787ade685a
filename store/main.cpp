// trialmill-store: trial records (JSON Lines) into the SQLite store.
#include <SQLiteCpp/Exception.h>

#include <fstream>
#include <iostream>

#include "trialmill/io.hpp"
#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/store_stream.hpp"
#include "trialmill/text.hpp"

namespace {

using namespace trialmill;

constexpr const char* kProgram = "trialmill-store";

std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> specs = {
      {"db", 0, true, "the SQLite database to create or update (required)", "PATH"},
      {"batch", 0, true, "records per transaction (default 500)", "N"},
      {"adopt-empty", 0, false,
       "make an existing empty SQLite database (one with no tables) a trialmill database; "
       "without it such a database is refused, as is any other application's"},
      {"precedence", 0, true, "set the merge order (source formats, best first) and merge again",
       "LIST"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

std::string help_text() {
  return str_cat(
      "Usage: ", kProgram,
      " --db PATH [--batch N] [--precedence LIST] [--adopt-empty] [FILE...]\n\n",
      "Stores trial records (JSON Lines, as written by trialmill-normalize) from the FILEs ('-'\n"
      "is stdin) or stdin in a SQLite database: one canonical trial per NCT ID, merged from every "
      "source\n"
      "with provenance, change history and idempotent upserts (see docs/schema.md). Each\n"
      "invocation is recorded in the runs table (status running until it ends).\n\n"
      "The canonical trial takes each field from the best source that has it, in the\n"
      "database's source precedence (standard: ctgov-v2-json, ctgov-xml, ctgov-html, veeva,\n"
      "aggregator-*, ctgov-archive); --precedence 'veeva, ctgov-v2-json, aggregator-*' changes it for good\n"
      "and merges every stored trial again, before any FILE is stored (with no FILE, stdin is\n"
      "not read). A pattern ending in '*' matches formats by prefix.\n\n",
      "Options:\n", format_options_help(option_specs()),
      "\nEXIT STATUS\n"
      "  0  every record was stored (or was already stored)\n"
      "  1  some records were rejected or could not be stored; the others were stored\n"
      "  2  usage error; the database cannot be opened, is another application's, is from a newer\n"
      "     trialmill, or failed (locked, read-only, disk full): nothing more was stored\n");
}

std::string command_line(int argc, char** argv) {
  std::vector<std::string> words(argv, argv + argc);
  return join(words, " ");
}

int run(const ParsedArgs& args, const std::string& command) {
  if (!args.value("db")) throw UsageError("--db PATH is required");
  size_t batch = kDefaultBatchSize;
  if (auto value = args.value("batch")) batch = parse_positive_count("batch", *value);

  std::optional<TrialStore> store;
  try {
    store.emplace(*args.value("db"), args.has("adopt-empty"));
  } catch (const DatabaseError& e) {
    log_error(*args.value("db"), e.what());
    return kExitUsage;
  }

  if (auto list = args.value("precedence")) {
    SourcePrecedence precedence = SourcePrecedence::parse_list(*list);  // UsageError when bad
    size_t changed = 0;
    try {
      changed = store->set_precedence(precedence, batch);
    } catch (const std::exception& e) {
      if (!dynamic_cast<const SQLite::Exception*>(&e) && !dynamic_cast<const DatabaseError*>(&e))
        throw;
      log_error(*args.value("db"), str_cat("database error during the re-merge: ", e.what(),
                                           "; the next run finishes it"));
      return kExitUsage;
    }
    log_info(str_cat("source precedence: ", precedence.to_list(), "; ", changed,
                     " trials changed under it"));
    // With no FILE only the re-merge was asked for: stdin is not read.
    if (args.positional.empty()) return kExitOk;
  }

  StreamProgress progress;
  bool inputs_failed = false;
  try {
    progress.run_id = begin_run(store->database(), command);
    if (args.positional.empty()) {
      store_stream(standard_input(), "stdin", *store, batch, progress);
    } else {
      for (const auto& path : args.positional) {
        if (path == "-") {
          store_stream(standard_input(), "stdin", *store, batch, progress);
          continue;
        }
        std::ifstream file(path, std::ios::binary);
        if (!file) {
          log_error(path, "cannot open file");
          inputs_failed = true;
          continue;
        }
        store_stream(file, path, *store, batch, progress);
      }
    }
    store->commit();
  } catch (const std::exception& e) {
    // Best effort: the run is marked as failed unless the database itself is what failed.
    try {
      if (progress.run_id)
        update_run(store->database(), progress.run_id, progress.records_read,
                   progress.stats(*store), RunStatus::error);
    } catch (...) {
    }
    // The database failed (full disk, read-only, locked past the timeout): nothing more can be
    // stored, which is not "some inputs failed" — exit 2, with the summary naming why.
    if (!dynamic_cast<const SQLite::Exception*>(&e) && !dynamic_cast<const DatabaseError*>(&e))
      throw;
    const bool named = dynamic_cast<const DatabaseError*>(&e) != nullptr;  // names the database
    log_error({}, str_cat("stopped: the database failed: ", named ? "" : *args.value("db") + ": ",
                          e.what(), "; ", progress.records_read,
                          " records read, the batch in progress "
                          "was rolled back, earlier batches stand"));
    return kExitUsage;
  }

  const StoreStats stats = progress.stats(*store);
  const bool failed = inputs_failed || stats.failed > 0;
  update_run(store->database(), progress.run_id, progress.records_read, stats,
             failed ? RunStatus::partial : RunStatus::ok);
  log_info(str_cat("stored ", stats.stored(), " records: ", stats.inserted, " new, ", stats.updated,
                   " changed, ", stats.unchanged, " unchanged, ", stats.failed, " failed"));
  return failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = command_line(argc, argv);
  return run_command(argc, argv, kProgram, option_specs(), help_text,
                     [&](const std::vector<std::string>& words) {
                       try {
                         return run(parse_args(words, option_specs()), command);
                       } catch (const SQLite::Exception& e) {
                         throw Error(str_cat("database error: ", e.what()));
                       }
                     });
}
