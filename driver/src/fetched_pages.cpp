#include "trialmill/driver/fetched_pages.hpp"

#include "trialmill/driver/nightly.hpp"

namespace trialmill {

FetchOptions fetch_options(const std::string& config_path, const std::vector<std::string>& sources,
                           const std::optional<std::string>& archive_dir,
                           const std::string& db_path, const std::optional<std::string>& base) {
  FetchOptions fetch;
  fetch.config_path = config_path;
  fetch.sources = sources;
  fetch.archive_dir = archive_dir.value_or(default_archive_dir(db_path));
  fetch.base = base;
  return fetch;
}

}  // namespace trialmill
