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
  // The most of a robots.txt Crawl-delay honoured for a loopback host (127.0.0.1, localhost,
  // ::1), in seconds; negative: honoured in full. Only an offline registry may want it (so that
  // `make run` stays fast while its robots.txt shows a Crawl-delay); a real host always gets
  // the site's delay in full.
  double loopback_crawl_delay_cap = -1;
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
  // Discovery pages followed at most (API pages, sitemaps under an index, listing pages);
  // 0 = no limit of the source's own (listings still stop at kDefaultListingPageCap).
  int max_pages = 0;
  // Listings: detail pages are the listing's links whose path contains this (a site whose
  // pages carry no NCT ID in their address, such as trialx); without it the listing's NCT IDs
  // are looked up through lookup_url.
  std::optional<std::string> detail_links;
  // Listings: pages by a query parameter (?page=2, ?offset=40), tried from `start` in steps of
  // `step` while each page adds something new; "next" links are followed whether or not it is set.
  struct PageParam {
    std::string name;
    long start = 2;
    long step = 1;
  };
  std::optional<PageParam> page_param;
  // ctgov-api: ask only for studies updated since the last good run (filter.advanced on
  // LastUpdatePostDate); removals are then found by the ID sweep, not by the listing.
  bool since_last_run = false;
  // Removal sweep: how many of the source's least recently confirmed trials are looked up by
  // ID each night (0: none), and how many IDs one API request asks for (ctgov-api).
  int sweep_per_night = 0;
  int sweep_batch = 100;
  HttpSettings http;

  // Format "auto": no parser of its own; pages go to format detection and the generic reader.
  bool format_is_auto() const { return format == "auto"; }
};

struct FetchConfig {
  std::string user_agent;
  std::vector<SourceConfig> sources;

  const SourceConfig* find_source(std::string_view name) const;
};

// The format a page of a source with `format` is parsed as: none (detection, then the generic
// reader) for "auto" and "aggregator-generic", which have no profile of their own.
std::optional<std::string> page_format_for_parse(std::string_view format);

// The contact in a User-Agent that was never filled in (example.org and its kin, RFC 2606).
bool is_placeholder_contact(std::string_view user_agent);
// True when every URL the sources start from is on a loopback host or file://: an offline
// registry, which needs no contact.
bool is_offline(const std::vector<const SourceConfig*>& sources);
// Throws UsageError, naming the User-Agent, when a run would reach real sites with a placeholder
// contact: a site that wants to reach the operator could not.
void require_real_contact(const FetchConfig& config,
                          const std::vector<const SourceConfig*>& sources);

// Parses a config; every "{base}" in a URL is replaced by `base` (an offline registry's address).
// Throws UsageError naming `what` and the problem: the config is the command line's business.
FetchConfig parse_fetch_config(std::string_view json, std::string_view what,
                               const std::optional<std::string>& base);
// The config file's text (at most 1 MB); throws UsageError naming the file when unreadable.
std::string read_fetch_config_text(const std::string& path);
FetchConfig load_fetch_config(const std::string& path, const std::optional<std::string>& base);

}  // namespace trialmill
