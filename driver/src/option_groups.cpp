#include "trialmill/driver/option_groups.hpp"

#include <filesystem>

#include "trialmill/cli.hpp"

namespace trialmill {

void declare_store_archive_options(CLI::App& app, StoreArchiveOptions& o) {
  add_db_option(app, o.db_path, "the SQLite database to update (required)");
  add_optional(app, "--archive", o.archive_dir,
               "the raw archive (default: archive/ beside the database)", "DIR");
}

void declare_sources_options(CLI::App& app, SourcesOptions& o) {
  app.add_option("-c,--config", o.config_path, "the sources config (required; see docs/fetch.md)")
      ->type_name("FILE")
      ->required();
  declare_store_archive_options(app, o);
  add_optional(app, "--base", o.base, "fills {base} in the config's URLs (an offline registry)",
               "URL");
  add_repeatable(app, "--source", o.sources, "only this source (repeatable; default: every source)",
                 "NAME");
}

std::string default_archive_dir(const std::string& db_path) {
  std::filesystem::path parent = std::filesystem::path(db_path).parent_path();
  return (parent.empty() ? std::filesystem::path("archive") : parent / "archive").string();
}

FetchOptions fetch_options_for(const SourcesOptions& o) {
  FetchOptions fetch;
  fetch.config_path = o.config_path;
  fetch.sources = o.sources;
  fetch.archive_dir = o.archive_dir.value_or(default_archive_dir(o.db_path));
  fetch.base = o.base;
  return fetch;
}

}  // namespace trialmill
