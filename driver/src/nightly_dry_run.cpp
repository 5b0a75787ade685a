#include "trialmill/driver/nightly_dry_run.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "trialmill/error.hpp"
#include "trialmill/fetch/dry_run.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/run_sources.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/store/withdrawal.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

// What the last runs tell about each source; a database that is missing, older or unreadable
// tells nothing (the plan then says so), and is never written to.
std::map<std::string, DryRunFacts> facts_from_database(
    const NightlyOptions& options, const std::vector<const SourceConfig*>& sources) {
  std::map<std::string, DryRunFacts> facts;
  for (const SourceConfig* s : sources)
    if (options.since) facts[s->name].since = options.since;
  if (options.db_path.empty() || !std::filesystem::exists(options.db_path)) return facts;
  try {
    SQLite::Database db(options.db_path, SQLite::OPEN_READONLY);
    RunFigures previous = previous_applied_figures(db, std::numeric_limits<int64_t>::max());
    std::optional<std::string> last_good = last_good_run_date(db, "trialmill nightly");
    for (const SourceConfig* s : sources) {
      DryRunFacts& f = facts[s->name];
      if (auto it = previous.find(s->name); it != previous.end()) f.last_pages = it->second.pages;
      if (!f.since && s->since_last_run) f.since = last_good;
      if (s->sweep_per_night > 0 && !s->format_is_auto())
        f.stored_trials =
            least_recently_confirmed(db, s->format, static_cast<size_t>(s->sweep_per_night)).size();
    }
  } catch (const std::exception& e) {
    log_warning(options.db_path, str_cat("not read for the dry run: ", e.what()));
  }
  return facts;
}

}  // namespace

int nightly_dry_run(const NightlyOptions& options, const FetchConfig& config) {
  auto sources = select_sources(config, options.sources);
  std::string plan = dry_run_plan(config, sources, facts_from_database(options, sources));
  std::fwrite(plan.data(), 1, plan.size(), stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace trialmill
