#include "trialmill/driver/reparse.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/option_groups.hpp"
#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/driver/store_sink.hpp"
#include "trialmill/fetch/archive.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/log.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/stored_records.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

int run_reparse(const ReparseOptions& options) {
  const std::string archive_dir =
      options.archive_dir.value_or(default_archive_dir(options.db_path));
  if (!std::filesystem::is_directory(archive_dir))
    throw StartError(str_cat(archive_dir, ": no archive directory here (see --archive)"));
  {
    LockedRun run(options.db_path, options.command_line);
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
    std::string line = str_cat(
        "reparse run ", run.run_id(), ": ", failed ? "partial" : "ok", "; pages ", pages.fetched,
        " reparsed, ", pages.failed, " failed; records ", records, ": ", stats.inserted, " new, ",
        stats.updated, " changed, ", stats.unchanged, " unchanged, ", stats.failed, " failed\n");
    std::fwrite(line.data(), 1, line.size(), stdout);
    return failed ? kExitInputsFailed : kExitOk;
  }
}

}  // namespace trialmill
