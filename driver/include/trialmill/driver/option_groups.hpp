#pragma once
// The options the commands that write the database and the archive (nightly, reingest,
// reparse) share, declared once: each command's options struct derives from the group it takes.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/fetch/fetch_command.hpp"

namespace CLI {
class App;
}

namespace trialmill {

// --db PATH (required) and --archive DIR.
struct StoreArchiveOptions {
  std::string db_path;
  std::optional<std::string> archive_dir;  // default: "archive" beside the database
  std::string command_line;                // "trialmill nightly --db ..." for the runs row
};

// --config FILE (required), the above, --base URL and --source NAME...
struct SourcesOptions : StoreArchiveOptions {
  std::string config_path;
  std::optional<std::string> base;   // fills {base} in the config
  std::vector<std::string> sources;  // --source; empty: all
};

void declare_store_archive_options(CLI::App& app, StoreArchiveOptions& options);
void declare_sources_options(CLI::App& app, SourcesOptions& options);

// The archive a command uses: --archive, or archive/ beside the database.
std::string default_archive_dir(const std::string& db_path);

// What to fetch for these options (config, sources, archive, base); the caller adds the rest.
FetchOptions fetch_options_for(const SourcesOptions& options);

}  // namespace trialmill
