#pragma once
// trialmill-fetch as a command: its options, apart from its I/O so that they can be tested.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

struct FetchOptions {
  std::string config_path;              // --config, required
  std::vector<std::string> sources;     // --source, repeatable; empty: every source
  std::string archive_dir = "archive";  // --archive
  std::optional<std::string> since;     // --since YYYY-MM-DD: incremental run
  std::vector<std::string> nct_ids;     // --nct, repeatable: look these up instead of discovering
  std::optional<std::string> base;      // --base URL: fills {base} in the config
  // The date (YYYY-MM-DD) of the last good run, for sources with since_last_run (nightly sets
  // it from the runs table); --since, when given, wins.
  std::optional<std::string> last_good_run;
  // Pages to fetch again as they are, for sources with no lookup_url (reingest: the stored
  // source records' URLs); used with nct_ids, not settable from the command line.
  struct KnownPage {
    std::string format;
    std::string url;
    std::string nct_id;
  };
  std::vector<KnownPage> known_pages;
  // A lookup answered 404 is logged as information, not a failure: reingest asks every source,
  // and most show only some trials. trialmill-fetch --nct reports it as a failed page.
  bool lookup_not_found_ok = false;
};

// Throws UsageError (parse_options) on a bad command line.
void declare_fetch_options(CLI::App& app, FetchOptions& options);
int run_fetch_command(const FetchOptions& options);
Command fetch_command();

}  // namespace trialmill
