#include "trialmill/fetch/fetch_run.hpp"

#include <map>
#include <set>

#include "trialmill/error.hpp"
#include "trialmill/fetch/archive.hpp"
#include "trialmill/fetch/discovery.hpp"
#include "trialmill/fetch/http_client.hpp"
#include "trialmill/fetch/pagination.hpp"
#include "trialmill/fetch/sitemap.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

// A page as archived: the fresh body, or the archived copy a 304 vouched for.
struct ArchivedPage {
  std::string sha256;
  std::string path;
  long status = 0;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::string fetched_at;
};

class FetchRunner {
 public:
  FetchRunner(const FetchConfig& config, const FetchOptions& options,
              const std::function<void(const ManifestLine&)>& emit)
      : options_(options), emit_(emit), archive_(options.archive_dir), client_(config.user_agent) {}

  FetchSummary run(const std::vector<const SourceConfig*>& sources) {
    for (const SourceConfig* s : sources) allow_source_hosts(*s);
    for (const SourceConfig* s : sources) {
      SourceFetchReport& report = summary_.sources[s->name];
      if (!options_.nct_ids.empty()) {
        lookup(*s);
      } else {
        // Incremental discovery lists only what changed; failures and limits clear it below.
        report.discovery_complete = !since_for(*s);
        discover(*s);
      }
    }
    client_.run();
    return summary_;
  }

 private:
  void allow_source_hosts(const SourceConfig& s) {
    std::set<std::string>& origins = source_origins_[s.name];
    origins.insert(url_origin(s.base_url));
    origins.insert(url_origin(s.discovery_url));
    if (s.lookup_url) origins.insert(url_origin(lookup_url_for(*s.lookup_url, "NCT00000000")));
    for (const auto& h : s.extra_hosts) origins.insert(url_origin(h));
    for (const auto& o : origins) client_.allow_origin(o, s.http);
  }

  // --since for every source; else, for a source that asks for it, the last good run's date.
  std::optional<std::string> since_for(const SourceConfig& s) const {
    if (options_.since) return options_.since;
    if (s.since_last_run && s.discovery == Discovery::ctgov_api) return options_.last_good_run;
    return std::nullopt;
  }

  bool is_source_host(const SourceConfig& s, std::string_view url) const {
    auto parsed = parse_url(url);
    if (!parsed || !source_origins_.at(s.name).count(url_origin(*parsed))) return false;
    // file:// has no host to confine it: a page may only lead to files under the base directory.
    if (parsed->scheme == "file") {
      auto base = parse_url(s.base_url);
      std::string dir = base ? base->path : "/";
      if (!dir.ends_with('/')) dir += '/';
      return parsed->path.rfind(dir, 0) == 0 && parsed->path.find("/../") == std::string::npos;
    }
    return true;
  }

  void report_failure(std::string_view url, std::string_view reason) {
    log_error(url, reason);
    ++summary_.failed;
  }

  void report_failure(const SourceConfig& s, std::string_view url, std::string_view reason,
                      bool discovery_page) {
    report_failure(url, reason);
    SourceFetchReport& report = summary_.sources[s.name];
    ++report.failed;
    if (discovery_page) report.discovery_complete = false;
  }

  void listed(const SourceConfig& s, const std::string& url, const std::optional<std::string>& nct) {
    SourceFetchReport& report = summary_.sources[s.name];
    report.listed_urls.insert(url);
    if (nct) report.listed_nct_ids.insert(*nct);
  }

  // Runs `on_page` on a page's bytes (fresh or archived); failures are reported here.
  // `discovery_page`: a sitemap, listing or API page, whose loss leaves discovery incomplete.
  void fetch(const SourceConfig& s, const std::string& url, bool discovery_page,
             std::function<void(const ArchivedPage&, std::string_view body)> on_page) {
    if (!requested_.insert(url).second) return;  // listed twice: fetched once
    HttpRequest request;
    request.url = url;
    request.http = s.http;
    request.allowed_origins = source_origins_.at(s.name);
    // Validators only when the copy they describe is still in the archive.
    if (const ArchiveEntry* known = archive_.find(url)) {
      request.if_none_match = known->etag;
      request.if_modified_since = known->last_modified;
    }
    client_.get(std::move(request), [this, &s, url, discovery_page,
                                      on_page = std::move(on_page)](HttpResponse&& r) {
      if (!r.ok()) {
        if (r.status == 404 && !discovery_page && options_.lookup_not_found_ok) {
          // A lookup of a trial the site does not list: an answer, not a failure.
          log_info(str_cat(url, ": not found (HTTP 404); source ", s.name, " does not show it"));
          ++summary_.sources[s.name].not_found;
          return;
        }
        report_failure(s, url, *r.error, discovery_page);
        return;
      }
      try {
        std::string body;
        ArchivedPage page = archive_page(url, r, body);
        on_page(page, body);
      } catch (const Error& e) {
        report_failure(s, url, e.what(), discovery_page);
      }
    });
  }

  ArchivedPage archive_page(const std::string& url, HttpResponse& r, std::string& body) {
    ArchivedPage page;
    page.status = r.status;
    page.fetched_at = utc_now_iso8601();
    if (r.status == 304) {
      const ArchiveEntry* known = archive_.find(url);
      if (!known) throw make_error("HTTP 304 but no archived copy to reuse");
      page.sha256 = known->sha256;
      page.etag = r.etag ? r.etag : known->etag;
      page.last_modified = r.last_modified ? r.last_modified : known->last_modified;
      body = archive_.read_blob(known->sha256);
    } else {
      if (r.body.empty()) throw make_error("HTTP ", r.status, " with an empty body");
      body = std::move(r.body);
      page.sha256 = archive_.store(body);
      page.etag = r.etag;
      page.last_modified = r.last_modified;
      archive_.record({url, page.sha256, page.etag, page.last_modified, page.fetched_at});
    }
    page.path = archive_.blob_path(page.sha256);
    return page;
  }

  void emit_page(const SourceConfig& s, const std::string& url, const ArchivedPage& page,
                 std::optional<std::string> nct_id) {
    ManifestLine line{url,         s.format,           page.path,
                      page.sha256, page.status,        page.fetched_at,
                      page.etag,   page.last_modified, std::move(nct_id),
                      s.name};
    emit_(line);
    ++summary_.pages;
    SourceFetchReport& report = summary_.sources[s.name];
    ++report.pages;
    if (page.status == 304) {
      ++summary_.unchanged;
      ++report.unchanged;
    }
  }

  void fetch_detail(const SourceConfig& s, const std::string& url,
                    std::optional<std::string> nct_id) {
    fetch(s, url, false, [this, &s, url, nct_id](const ArchivedPage& page, std::string_view) {
      emit_page(s, url, page, nct_id);
    });
  }

  void lookup(const SourceConfig& s) {
    if (s.lookup_url) {
      for (const auto& id : options_.nct_ids) fetch_detail(s, lookup_url_for(*s.lookup_url, id), id);
      return;
    }
    bool any = false;
    for (const auto& known : options_.known_pages) {
      if (known.format != s.format) continue;
      if (!is_source_host(s, known.url)) {
        log_warning(known.url, str_cat("not on the hosts of source ", s.name, "; not fetched"));
        continue;
      }
      fetch_detail(s, known.url, known.nct_id);
      any = true;
    }
    if (!any) log_info(str_cat(s.name, ": no lookup_url and no known page; skipped for --nct"));
  }

  void discover(const SourceConfig& s) {
    switch (s.discovery) {
      case Discovery::sitemap:
        fetch_sitemap(s, s.discovery_url, 0);
        break;
      case Discovery::listing:
        fetch_listing_page(s, s.discovery_url, 1);
        break;
      case Discovery::ctgov_api:
        fetch_ctgov_page(s, std::nullopt, 1);
        break;
    }
  }

  // A sitemap or sitemap index (plain or gzipped); indexes may nest kMaxSitemapDepth deep.
  void fetch_sitemap(const SourceConfig& s, const std::string& url, int depth) {
    fetch(s, url, true, [this, &s, url, depth](const ArchivedPage&, std::string_view raw) {
      std::string xml = gunzip_if_gzipped(raw, s.http.max_body_bytes);
      Sitemap map = parse_sitemap(xml);
      if (map.is_index && depth + 1 >= kMaxSitemapDepth)
        throw make_error("sitemap indexes nested deeper than ", kMaxSitemapDepth, "; not followed");
      SourceFetchReport& report = summary_.sources[s.name];
      for (const auto& entry : map.entries) {
        // A sitemap's lastmod is when that sitemap changed: an old one holds only old pages.
        if (options_.since && entry.lastmod && !on_or_after(*entry.lastmod, *options_.since))
          continue;
        std::optional<std::string> loc = resolve_url(url, entry.loc);
        if (!loc || !is_source_host(s, *loc)) {
          log_warning(url, str_cat("entry not on the source's hosts, skipped: ", entry.loc));
          continue;
        }
        if (map.is_index) {
          size_t& taken = sitemaps_taken_[s.name];
          if (s.max_pages > 0 && taken >= static_cast<size_t>(s.max_pages)) {
            report.discovery_complete = false;
            log_warning(url,
                        str_cat("max_pages ", s.max_pages, " reached; later sitemaps not read"));
            break;
          }
          ++taken;
          fetch_sitemap(s, *loc, depth + 1);
        } else {
          std::optional<std::string> nct = find_nct_id(*loc);
          if (nct && !is_nct_id(*nct)) nct.reset();
          listed(s, *loc, nct);
          fetch_detail(s, *loc, nct);
        }
      }
    });
  }

  // One listing page: its trials (NCT IDs through lookup_url, or detail_links), then the next
  // page (a "next" link, else the page parameter) while pages add trials, up to a bound.
  void fetch_listing_page(const SourceConfig& s, const std::string& url, int number) {
    fetch(s, url, true, [this, &s, url, number](const ArchivedPage&, std::string_view body) {
      SourceFetchReport& report = summary_.sources[s.name];
      ListingLinks links = read_listing_links(body, url);
      size_t added = 0;
      if (s.detail_links) {
        for (const auto& link : links.links) {
          auto parsed = parse_url(link);
          if (!parsed || parsed->path.find(*s.detail_links) == std::string::npos) continue;
          if (!is_source_host(s, link)) continue;
          std::optional<std::string> nct = find_nct_id(link);
          if (nct && !is_nct_id(*nct)) nct.reset();
          if (!report.listed_urls.count(link)) ++added;
          listed(s, link, nct);
          fetch_detail(s, link, nct);
        }
      } else {
        for (const auto& id : listing_nct_ids(body)) {
          std::string detail = lookup_url_for(*s.lookup_url, id);
          if (!report.listed_urls.count(detail)) ++added;
          listed(s, detail, id);
          fetch_detail(s, detail, id);
        }
      }
      std::optional<std::string> next;
      if (links.next && is_source_host(s, *links.next) && !requested_.count(*links.next))
        next = links.next;
      else if (s.page_param && added > 0)
        next = with_query_param(
            s.discovery_url, s.page_param->name,
            std::to_string(s.page_param->start + (number - 1) * s.page_param->step));
      if (number == 1 && added == 0 && !next)
        // Legitimately empty (a source that stopped showing trials): not a failure. The publish
        // gate judges a fall in trials; the sweep marks what is gone.
        log_warning(url, str_cat("source ", s.name, ": the listing names no trials"));
      if (!next || requested_.count(*next)) return;
      const int cap = s.max_pages > 0 ? s.max_pages : kDefaultListingPageCap;
      if (number >= cap) {
        report.discovery_complete = false;
        log_warning(url, str_cat("source ", s.name, ": ", cap,
                                 " listing pages read; later pages not followed (max_pages)"));
        return;
      }
      fetch_listing_page(s, *next, number + 1);
    });
  }

  void fetch_ctgov_page(const SourceConfig& s, std::optional<std::string> token, int number) {
    std::string url = ctgov_page_url(s.discovery_url, s.page_size, since_for(s), token);
    fetch(s, url, true, [this, &s, url, number](const ArchivedPage& page, std::string_view body) {
      CtgovPage parsed = parse_ctgov_page(body);
      SourceFetchReport& report = summary_.sources[s.name];
      report.listed_urls.insert(url);
      report.listed_nct_ids.insert(parsed.nct_ids.begin(), parsed.nct_ids.end());
      // The API page itself is the archived document: one line, the studies inside it.
      emit_page(s, url, page,
                parsed.nct_ids.size() == 1 ? std::optional(parsed.nct_ids[0]) : std::nullopt);
      if (parsed.next_page_token) {
        if (s.max_pages == 0 || number < s.max_pages)
          fetch_ctgov_page(s, parsed.next_page_token, number + 1);
        else
          report.discovery_complete = false;  // cut off: later pages were not listed
      }
    });
  }

  const FetchOptions& options_;
  const std::function<void(const ManifestLine&)>& emit_;
  Archive archive_;
  HttpClient client_;
  std::map<std::string, std::set<std::string>> source_origins_;
  std::set<std::string> requested_;
  std::map<std::string, size_t> sitemaps_taken_;  // by source: sitemaps read under indexes
  FetchSummary summary_;
};

}  // namespace

std::vector<const SourceConfig*> select_sources(const FetchConfig& config,
                                                const std::vector<std::string>& names) {
  std::vector<const SourceConfig*> out;
  if (names.empty()) {
    for (const auto& s : config.sources) out.push_back(&s);
    return out;
  }
  for (const auto& name : names) {
    const SourceConfig* s = config.find_source(name);
    if (!s) throw UsageError(str_cat("no source named ", name, " in the config"));
    out.push_back(s);
  }
  return out;
}

FetchSummary run_fetch(const FetchConfig& config, const FetchOptions& options,
                       const std::function<void(const ManifestLine&)>& emit) {
  auto sources = select_sources(config, options.sources);
  require_real_contact(config, sources);
  FetchRunner runner(config, options, emit);
  return runner.run(sources);
}

}  // namespace trialmill
