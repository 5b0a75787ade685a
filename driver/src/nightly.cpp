#include "trialmill/driver/nightly.hpp"

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly_dry_run.hpp"
#include "trialmill/driver/nightly_run.hpp"
#include "trialmill/driver/publish_gate.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

int run_nightly(const NightlyOptions& options) {
  if (options.db_path.empty() && !options.dry_run) throw UsageError("--db PATH is required");
  const RunConfig run_config = load_run_config(options.config_path, options.base);  // read once
  const FetchConfig& config = run_config.fetch;
  const JsonDocument& config_json = run_config.json;
  if (options.dry_run) return nightly_dry_run(options, config);
  // An unknown --source is a usage error; a live run needs a real contact.
  require_real_contact(config, select_sources(config, options.sources));
  for (const auto& source : config.sources) gate_thresholds(&config_json, source.name);

  LockedRun run(options.db_path, options.command_line);
  try {
    NightlyRun nightly(options, config, config_json, run);
    return nightly.run();
  } catch (const std::exception& e) {
    try {
      update_run(run.database(), run.run_id(), 0, run.store().stats(), RunStatus::error);
    } catch (...) {
      // The database itself failed: the next run marks this one interrupted.
    }
    throw Error(str_cat("the run failed: ", e.what(),
                        "; committed batches stand, the next run redoes the rest"));
  }
}

}  // namespace trialmill
