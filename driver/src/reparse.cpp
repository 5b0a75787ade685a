#include "trialmill/driver/reparse.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/driver/page_records.hpp"
#include "trialmill/fetch/archive.hpp"
#include "trialmill/log.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

struct ArchivedSource {
  std::string url;
  std::string format;
  std::string sha256;
  std::optional<std::string> fetched_at;
};

// One row per archived page behind the selected source records, oldest record first.
std::vector<ArchivedSource> archived_sources(SQLite::Database& db, const ReparseOptions& options) {
  std::string sql =
      "SELECT url, format, sha256, max(fetched_at) FROM sources "
      "WHERE sha256 IS NOT NULL AND url IS NOT NULL";
  if (!options.formats.empty()) {
    sql += " AND format IN (?";
    for (size_t i = 1; i < options.formats.size(); ++i) sql += ", ?";
    sql += ")";
  }
  if (!options.nct_ids.empty()) {
    sql += " AND nct_id IN (?";
    for (size_t i = 1; i < options.nct_ids.size(); ++i) sql += ", ?";
    sql += ")";
  }
  sql += " GROUP BY url, format, sha256 ORDER BY min(id)";
  SQLite::Statement select(db, sql);
  int index = 1;
  for (const auto& format : options.formats) select.bind(index++, format);
  for (const auto& id : options.nct_ids) select.bind(index++, id);
  std::vector<ArchivedSource> out;
  while (select.executeStep()) {
    ArchivedSource row{select.getColumn(0).getString(), select.getColumn(1).getString(),
                       select.getColumn(2).getString(), std::nullopt};
    if (!select.getColumn(3).isNull()) row.fetched_at = select.getColumn(3).getString();
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

int run_reparse(const ReparseOptions& options) {
  const std::string archive_dir =
      options.archive_dir.value_or(default_archive_dir(options.db_path));
  if (!std::filesystem::is_directory(archive_dir))
    throw StartError(str_cat(archive_dir, ": no archive directory here (see --archive)"));
  {
    LockedRun run(options.db_path, options.command_line);
    Archive archive(archive_dir);
    const std::set<std::string> wanted(options.nct_ids.begin(), options.nct_ids.end());
    TrialStore& store = run.store();
    RunPages pages;
    size_t records = 0;
    for (const ArchivedSource& source : archived_sources(run.database(), options)) {
      ++pages.fetched;
      if (!archive.has_blob(source.sha256)) {
        log_error(source.url,
                  str_cat("archived copy ", source.sha256, " is missing from ", archive_dir));
        ++pages.failed;
        continue;
      }
      PageInput input{source.url, source.url, source.fetched_at, source.format, std::nullopt};
      auto outcome = page_to_records(
          input, archive.blob_path(source.sha256), [&](JsonDocument&& record) {
            if (!wanted.empty() && !wanted.count(get_string_or(record, "nct_id", ""))) return;
            ++records;
            store.add(record, source.url);
            if (store.pending() >= options.batch) {
              update_run(run.database(), run.run_id(), records, store.stats(),
                         RunStatus::running);
              store.commit();
            }
          });
      if (outcome.records) ++pages.parsed;
      if (outcome.failed) ++pages.failed;
    }
    const StoreStats& stats = store.stats();
    const bool failed = pages.failed > 0 || stats.failed > 0;
    update_run_pages(run.database(), run.run_id(), pages, std::nullopt);
    update_run(run.database(), run.run_id(), records, stats,
               failed ? RunStatus::partial : RunStatus::ok);
    store.commit();
    std::string line =
        str_cat("reparse run ", run.run_id(), ": ", failed ? "partial" : "ok", "; pages ",
                pages.fetched, " reparsed, ", pages.failed, " failed; records ", records,
                ": ", stats.inserted, " new, ", stats.updated, " changed, ", stats.unchanged,
                " unchanged, ", stats.failed, " failed\n");
    std::fwrite(line.data(), 1, line.size(), stdout);
    return failed ? kExitInputsFailed : kExitOk;
  }
}

}  // namespace trialmill
