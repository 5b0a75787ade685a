#include "trialmill/store/store_command.hpp"

#include <SQLiteCpp/Exception.h>

#include <fstream>
#include <iostream>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/precedence.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/store_stream.hpp"

namespace trialmill {
namespace {

int store_records(const StoreOptions& options) {
  const size_t batch = options.batch;
  std::optional<TrialStore> store;
  store.emplace(options.db, options.adopt_empty);  // DatabaseError: could not start, exit 2

  if (const auto& list = options.precedence) {
    SourcePrecedence precedence = SourcePrecedence::parse_list(*list);  // UsageError when bad
    size_t changed = 0;
    try {
      changed = store->set_precedence(precedence, batch);
    } catch (const std::exception& e) {
      if (!dynamic_cast<const SQLite::Exception*>(&e) && !dynamic_cast<const DatabaseError*>(&e))
        throw;
      log_error(options.db, str_cat("database error during the re-merge: ", e.what(),
                                    "; the next run finishes it"));
      return kExitUsage;
    }
    log_info(str_cat("source precedence: ", precedence.to_list(), "; ", changed,
                     " trials changed under it"));
    // With no FILE only the re-merge was asked for: stdin is not read.
    if (options.files.empty()) return kExitOk;
  }

  StreamProgress progress;
  bool inputs_failed = false;
  try {
    progress.run_id = begin_run(store->database(), options.command_line);
    if (options.files.empty()) {
      store_stream(standard_input(), "stdin", *store, batch, progress);
    } else {
      for (const auto& path : options.files) {
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
    log_error({}, str_cat("stopped: the database failed: ", named ? "" : options.db + ": ",
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

void declare_store_options(CLI::App& app, StoreOptions& o) {
  add_db_option(app, o.db, "the SQLite database to create or update (required)");
  add_batch_option(app, o.batch);
  add_optional(app, "--precedence", o.precedence,
               "set the merge order (source formats, best first) and merge again", "LIST");
  app.add_flag("--adopt-empty", o.adopt_empty,
               "make an existing SQLite database with no tables a trialmill database");
  app.add_option("FILE", o.files, "trial records (JSON Lines); '-' or none: stdin");
}

int run_store_command(const StoreOptions& options) {
  try {
    return store_records(options);
  } catch (const SQLite::Exception& e) {
    throw Error(str_cat("database error: ", e.what()));
  }
}

Command store_command() {
  return make_command<StoreOptions>(
      {"trialmill-store", "store trial records in the SQLite database",
       "--db PATH [--batch N] [--precedence LIST] [--adopt-empty] [FILE...]",
       "Stores trial records (JSON Lines, as written by trialmill-normalize) from the FILEs ('-'\n"
       "is stdin) or stdin in a SQLite database: one canonical trial per NCT ID, merged from\n"
       "every source with provenance, change history and idempotent upserts (see\n"
       "docs/schema.md). Each invocation is recorded in the runs table (status running until it\n"
       "ends).\n\n"
       "The canonical trial takes each field from the best source that has it, in the\n"
       "database's source precedence (standard: ctgov-v2-json, ctgov-xml, ctgov-html, veeva,\n"
       "aggregator-*, ctgov-archive); --precedence 'veeva, ctgov-v2-json, aggregator-*'\n"
       "changes it for good and merges every stored trial again, before any FILE is stored\n"
       "(with no FILE, stdin is not read). A pattern ending in '*' matches formats by prefix.\n",
       "  0  every record was stored (or was already stored)\n"
       "  1  some records were rejected or could not be stored; the others were stored\n"
       "  2  usage error; the database cannot be opened, is another application's, is from a "
       "newer\n"
       "     trialmill, or failed (locked, read-only, disk full): nothing more was stored\n"},
      declare_store_options, run_store_command);
}

}  // namespace trialmill
