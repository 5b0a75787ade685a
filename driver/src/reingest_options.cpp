#include "trialmill/driver/reingest_options.hpp"

#include "trialmill/cli.hpp"
#include "trialmill/driver/reingest.hpp"

namespace trialmill {

void declare_reingest_options(CLI::App& app, ReingestOptions& o) {
  declare_sources_options(app, o);
  add_nct_ids(app, o.nct_ids, "the trials to fetch afresh (at least one)")->required();
  app.callback([&o] { drop_repeats(o.nct_ids); });
}

Command reingest_command() {
  return make_command<ReingestOptions>(
      {"reingest", "fetch one or more trials afresh from every source; print what changed",
       "--config FILE --db PATH [--archive DIR] [--base URL]\n"
       "[--source NAME]... NCT_ID...",
       "Fetches each trial afresh from every source that has it (the source's lookup URL, or\n"
       "the page the database last stored for it), parses, normalizes and stores it, then\n"
       "prints, per trial, the canonical record and what changed, as JSON on stdout (indented\n"
       "on a terminal, one line per trial otherwise). Readers of the database are never\n"
       "blocked; the publish gate does not apply (a page that lost fields still cannot blank\n"
       "a stored value). Runs under the nightly lock.\n",
       "  0  every trial was fetched and stored from at least one source, no page failed\n"
       "  1  some page failed, or some trial was found nowhere (named on stderr)\n"
       "  2  the run could not start: usage error, lock held, config or database unusable\n"},
      declare_reingest_options, run_reingest);
}

}  // namespace trialmill
