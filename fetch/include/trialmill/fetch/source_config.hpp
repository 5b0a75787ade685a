#pragma once
// The sources config (config/*.json, documented in docs/fetch.md): what to fetch and how politely.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

enum class Discovery { sitemap, listing, ctgov_api };

std::string_view discovery_name(Discovery discovery);

// Transfer limits and retry policy; the config's "http" block, overridable per source.
struct HttpSettings {
  double rate = 1.0;    // requests per second per host
  int concurrency = 2;  // transfers in flight per host
  long connect_timeout_ms = 10000;
  long timeout_ms = 60000;  // whole transfer
  long max_redirects = 5;
  size_t max_body_bytes = 32u * 1024u * 1024u;
  int max_retries = 4;          // after the first attempt
  long backoff_base_ms = 1000;  // doubled per retry, plus jitter
  long backoff_max_ms = 60000;
  long max_retry_after_ms = 120000;  // a longer Retry-After fails the URL instead of stalling
};

struct SourceConfig {
  std::string name;
  std::string format;    // a source_format: veeva, ctgov-html, ctgov-v2-json, aggregator-...
  std::string base_url;  // its origin is an allowed host
  Discovery discovery = Discovery::sitemap;
  std::string discovery_url;              // sitemap, listing page, or the /api/v2/studies endpoint
  std::optional<std::string> lookup_url;  // with "{nct_id}"; absent when the site has none
  std::vector<std::string> extra_hosts;   // other origins the source may be served from
  int page_size = 100;                    // ctgov-api
  int max_pages = 0;                      // ctgov-api / sitemap indexes: 0 = no limit
  HttpSettings http;
};

struct FetchConfig {
  std::string user_agent;
  std::vector<SourceConfig> sources;

  const SourceConfig* find_source(std::string_view name) const;
};

// Parses a config; every "{base}" in a URL is replaced by `base` (an offline registry's address).
// Throws UsageError naming `what` and the problem: the config is the command line's business.
FetchConfig parse_fetch_config(std::string_view json, std::string_view what,
                               const std::optional<std::string>& base);
// The config file's text (at most 1 MB); throws UsageError naming the file when unreadable.
std::string read_fetch_config_text(const std::string& path);
FetchConfig load_fetch_config(const std::string& path, const std::optional<std::string>& base);

}  // namespace trialmill
