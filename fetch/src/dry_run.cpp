#include "trialmill/fetch/dry_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "trialmill/error.hpp"
#include "trialmill/fetch/discovery.hpp"
#include "trialmill/fetch/id_sweep.hpp"
#include "trialmill/fetch/pagination.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

std::string rate_text(double rate) {
  char buffer[64];
  if (rate >= 1)
    std::snprintf(buffer, sizeof buffer, rate == 1 ? "%g request/s" : "%g requests/s", rate);
  else
    std::snprintf(buffer, sizeof buffer, "1 request every %g s", 1.0 / rate);
  return buffer;
}

std::string duration_text(double seconds) {
  long s = std::lround(std::ceil(seconds));
  if (s < 60) return str_cat(s, " s");
  if (s < 3600) return str_cat(s / 60, " min ", s % 60, " s");
  return str_cat(s / 3600, " h ", (s % 3600) / 60, " min");
}

struct HostPlan {
  double rate = 1e9;
  int concurrency = 64;
  size_t requests = 1;  // robots.txt
  bool estimate_known = true;
  std::set<std::string> sources;
};

}  // namespace

std::string dry_run_plan(const FetchConfig& config, const std::vector<const SourceConfig*>& sources,
                         const std::map<std::string, DryRunFacts>& facts) {
  std::string out = str_cat("Dry run: nothing is fetched. User-Agent: ", config.user_agent,
                            is_placeholder_contact(config.user_agent) && !is_offline(sources)
                                ? "  (placeholder contact: a live run is refused until it is set)"
                                : "",
                            "\n\n");
  std::map<std::string, HostPlan> hosts;
  for (const SourceConfig* s : sources) {
    DryRunFacts f;
    if (auto it = facts.find(s->name); it != facts.end()) f = it->second;
    out += str_cat("source ", s->name, " (format ", s->format,
                   s->format_is_auto() ? ": detection and the generic reader" : "", "), discovery ",
                   discovery_name(s->discovery), "\n");
    size_t discovery_requests = 1;
    bool known = f.last_pages.has_value();
    switch (s->discovery) {
      case Discovery::ctgov_api: {
        out += str_cat(
            "  start:  ", ctgov_page_url(s->discovery_url, s->page_size, f.since, std::nullopt),
            "\n  then:   the API's nextPageToken, ", s->page_size, " studies a page",
            s->max_pages ? str_cat(", at most ", s->max_pages, " pages") : "", "\n");
        if (f.since)
          out += str_cat("  only studies updated since ", *f.since,
                         s->since_last_run && f.since ? " (the last good run)" : "", "\n");
        if (f.last_pages) discovery_requests = std::max<size_t>(1, *f.last_pages);
        break;
      }
      case Discovery::sitemap:
        out +=
            str_cat("  start:  ", s->discovery_url,
                    "\n  then:   nested sitemap indexes (gzipped or not), then every page listed",
                    s->max_pages ? str_cat(" (at most ", s->max_pages, " sitemaps)") : "", "\n");
        if (f.last_pages) discovery_requests = 1 + *f.last_pages;
        break;
      case Discovery::listing:
        out += str_cat("  start:  ", s->discovery_url, "\n  then:   \"next\" links");
        if (s->page_param)
          out += str_cat(", else ",
                         with_query_param(s->discovery_url, s->page_param->name,
                                          std::to_string(s->page_param->start)),
                         " and on in steps of ", s->page_param->step);
        out += str_cat(", at most ", s->max_pages ? s->max_pages : kDefaultListingPageCap,
                       " listing pages\n");
        if (s->detail_links)
          out += str_cat("  pages:  the listing's links whose path holds \"", *s->detail_links,
                         "\"\n");
        else if (s->lookup_url)
          out += str_cat("  pages:  ", *s->lookup_url, " for each NCT ID listed\n");
        if (f.last_pages) discovery_requests = 1 + *f.last_pages;
        break;
    }
    if (s->lookup_url) out += str_cat("  lookup: ", *s->lookup_url, "\n");
    size_t sweep_ids = 0, sweep_requests = 0;
    if (s->sweep_per_night > 0 && can_sweep_by_id(*s) && !s->format_is_auto()) {
      sweep_ids = std::min(static_cast<size_t>(s->sweep_per_night),
                           f.stored_trials.value_or(static_cast<size_t>(s->sweep_per_night)));
      sweep_requests = sweep_request_count(*s, sweep_ids);
      out += str_cat("  sweep:  up to ", sweep_ids,
                     " least recently confirmed trials asked for by ID in ", sweep_requests,
                     " requests",
                     s->discovery == Discovery::ctgov_api
                         ? str_cat(" (filter.ids, ", s->sweep_batch, " a request)")
                         : std::string(" (lookup_url)"),
                     "\n");
    }
    out += str_cat("  rate:   ", rate_text(s->http.rate), ", ", s->http.concurrency,
                   " at a time, fewer if robots.txt asks (Crawl-delay)\n");
    out += str_cat(
        "  requests: ",
        known
            ? str_cat("about ", discovery_requests, " (as the last run)")
            : std::string("1 to start; the rest depends on what discovery finds (no earlier run)"),
        sweep_requests ? str_cat(" + ", sweep_requests, " for the sweep") : "", "\n\n");
    std::string origin = url_origin(s->discovery_url);
    HostPlan& host = hosts[origin];
    host.rate = std::min(host.rate, s->http.rate);
    host.concurrency = std::min(host.concurrency, s->http.concurrency);
    host.requests += discovery_requests + sweep_requests;
    host.estimate_known = host.estimate_known && known;
    host.sources.insert(s->name);
  }
  out += "Per host (hosts are fetched in parallel; each at its own rate):\n";
  double longest = 0;
  for (const auto& [origin, host] : hosts) {
    double seconds = static_cast<double>(host.requests) / host.rate;
    longest = std::max(longest, seconds);
    std::vector<std::string> names(host.sources.begin(), host.sources.end());
    out += str_cat("  ", origin, "  [", join(names, ", "), "]  ",
                   host.estimate_known ? "" : "at least ", host.requests,
                   " requests (robots.txt included) at ", rate_text(host.rate), ": ",
                   host.estimate_known ? "" : "at least ", duration_text(seconds), "\n");
  }
  out += str_cat("Expected duration: ", duration_text(longest),
                 " or more (a Crawl-delay, back-off on 403/429/503 or retries lengthen it)\n");
  return out;
}

}  // namespace trialmill
