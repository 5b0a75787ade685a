#include "trialmill/fetch/fetch_run.hpp"

#include <map>
#include <set>

#include "trialmill/error.hpp"
#include "trialmill/fetch/archive.hpp"
#include "trialmill/fetch/discovery.hpp"
#include "trialmill/fetch/http_client.hpp"
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
      if (!options_.nct_ids.empty())
        lookup(*s);
      else
        discover(*s);
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

  // Runs `on_page` on a page's bytes (fresh or archived); failures are reported here.
  void fetch(const SourceConfig& s, const std::string& url,
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
    client_.get(std::move(request), [this, url, on_page = std::move(on_page)](HttpResponse&& r) {
      if (!r.ok()) {
        report_failure(url, *r.error);
        return;
      }
      try {
        std::string body;
        ArchivedPage page = archive_page(url, r, body);
        on_page(page, body);
      } catch (const Error& e) {
        report_failure(url, e.what());
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
                      page.etag,   page.last_modified, std::move(nct_id)};
    emit_(line);
    ++summary_.pages;
    if (page.status == 304) ++summary_.unchanged;
  }

  void fetch_detail(const SourceConfig& s, const std::string& url,
                    std::optional<std::string> nct_id) {
    fetch(s, url, [this, &s, url, nct_id](const ArchivedPage& page, std::string_view) {
      emit_page(s, url, page, nct_id);
    });
  }

  void lookup(const SourceConfig& s) {
    if (!s.lookup_url) {
      log_warning(s.name, "has no lookup_url; skipped for --nct");
      return;
    }
    for (const auto& id : options_.nct_ids) fetch_detail(s, lookup_url_for(*s.lookup_url, id), id);
  }

  void discover(const SourceConfig& s) {
    switch (s.discovery) {
      case Discovery::sitemap:
        fetch_sitemap(s, s.discovery_url, true);
        break;
      case Discovery::listing:
        fetch_listing(s);
        break;
      case Discovery::ctgov_api:
        fetch_ctgov_page(s, std::nullopt, 1);
        break;
    }
  }

  void fetch_sitemap(const SourceConfig& s, const std::string& url, bool top) {
    fetch(s, url, [this, &s, url, top](const ArchivedPage&, std::string_view body) {
      Sitemap map = parse_sitemap(body);
      if (map.is_index && !top) throw make_error("nested sitemap index not followed");
      size_t taken = 0;
      for (const auto& entry : map.entries) {
        if (options_.since && entry.lastmod && !on_or_after(*entry.lastmod, *options_.since))
          continue;
        std::optional<std::string> loc = resolve_url(url, entry.loc);
        if (!loc || !is_source_host(s, *loc)) {
          log_warning(url, str_cat("entry not on the source's hosts, skipped: ", entry.loc));
          continue;
        }
        if (map.is_index) {
          if (s.max_pages > 0 && taken >= static_cast<size_t>(s.max_pages)) break;
          ++taken;
          fetch_sitemap(s, *loc, false);
        } else {
          std::optional<std::string> nct = find_nct_id(*loc);
          if (nct && !is_nct_id(*nct)) nct.reset();
          fetch_detail(s, *loc, nct);
        }
      }
    });
  }

  void fetch_listing(const SourceConfig& s) {
    if (!s.lookup_url) {
      report_failure(s.discovery_url,
                     str_cat("source ", s.name, ": listing discovery needs a lookup_url"));
      return;
    }
    fetch(s, s.discovery_url, [this, &s](const ArchivedPage&, std::string_view body) {
      auto ids = listing_nct_ids(body);
      if (ids.empty()) throw make_error("listing names no NCT IDs");
      for (const auto& id : ids) fetch_detail(s, lookup_url_for(*s.lookup_url, id), id);
    });
  }

  void fetch_ctgov_page(const SourceConfig& s, std::optional<std::string> token, int number) {
    std::string url = ctgov_page_url(s.discovery_url, s.page_size, options_.since, token);
    fetch(s, url, [this, &s, url, number](const ArchivedPage& page, std::string_view body) {
      CtgovPage parsed = parse_ctgov_page(body);
      // The API page itself is the archived document: one line, the studies inside it.
      emit_page(s, url, page,
                parsed.nct_ids.size() == 1 ? std::optional(parsed.nct_ids[0]) : std::nullopt);
      if (parsed.next_page_token && (s.max_pages == 0 || number < s.max_pages))
        fetch_ctgov_page(s, parsed.next_page_token, number + 1);
    });
  }

  const FetchOptions& options_;
  const std::function<void(const ManifestLine&)>& emit_;
  Archive archive_;
  HttpClient client_;
  std::map<std::string, std::set<std::string>> source_origins_;
  std::set<std::string> requested_;
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
  FetchRunner runner(config, options, emit);
  return runner.run(sources);
}

}  // namespace trialmill
