#include "trialmill/driver/reparse_options.hpp"

#include "trialmill/cli.hpp"
#include "trialmill/driver/reparse.hpp"

namespace trialmill {

void declare_reparse_options(CLI::App& app, ReparseOptions& o) {
  declare_store_archive_options(app, o);
  add_repeatable(app, "-f,--format", o.formats, "only pages of this format (repeatable)", "FORMAT")
      ->check(source_format());
  add_batch_option(app, o.batch);
  add_nct_ids(app, o.nct_ids, "only these trials (default: every stored trial)");
}

Command reparse_command() {
  return make_command<ReparseOptions>(
      {"reparse", "parse the archived pages again (after a parser fix) and store them",
       "--db PATH [--archive DIR] [--format FORMAT]... [--batch N]\n"
       "[NCT_ID...]",
       "Parses again, from the raw archive, the page behind every stored source record (or\n"
       "those of the given formats or trials), normalizes and stores the records: what to run\n"
       "after a parser or normalizer fix. Nothing is fetched. Unchanged records write nothing;\n"
       "changed ones are recorded in trial_changes like any update. Runs under the nightly\n"
       "lock.\n",
       "  0  every page was reparsed and its records stored\n"
       "  1  some page is missing from the archive or failed to parse (named on stderr)\n"
       "  2  the run could not start: usage error, lock held, database or archive unusable\n"},
      declare_reparse_options, run_reparse);
}

}  // namespace trialmill
