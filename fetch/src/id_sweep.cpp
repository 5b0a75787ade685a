#include "trialmill/fetch/id_sweep.hpp"

#include "trialmill/error.hpp"
#include "trialmill/fetch/discovery.hpp"
#include "trialmill/fetch/http_client.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

bool by_api(const SourceConfig& s) {
  return s.discovery == Discovery::ctgov_api;
}

// "Not found" only when the site says so; a 5xx or a timeout says nothing about the trial.
bool says_not_found(long status) {
  return status == 404 || status == 410;
}

}  // namespace

bool can_sweep_by_id(const SourceConfig& source) {
  return by_api(source) || source.lookup_url.has_value();
}

size_t sweep_request_count(const SourceConfig& source, size_t ids) {
  if (!can_sweep_by_id(source)) return 0;
  if (by_api(source)) {
    size_t batch = static_cast<size_t>(std::max(1, source.sweep_batch));
    return (ids + batch - 1) / batch;
  }
  return ids;
}

std::map<std::string, IdSweepAnswer> sweep_ids(
    const FetchConfig& config,
    const std::map<const SourceConfig*, std::vector<std::string>>& work) {
  std::map<std::string, IdSweepAnswer> answers;
  HttpClient client(config.user_agent);
  for (const auto& [s, ids] : work) {
    if (ids.empty() || !can_sweep_by_id(*s)) continue;
    answers[s->name];
    std::set<std::string> origins{url_origin(s->base_url), url_origin(s->discovery_url)};
    if (s->lookup_url) origins.insert(url_origin(lookup_url_for(*s->lookup_url, "NCT00000000")));
    for (const auto& h : s->extra_hosts) origins.insert(url_origin(h));
    for (const auto& o : origins) client.allow_origin(o, s->http);

    auto request_for = [&](std::string url) {
      HttpRequest request;
      request.url = std::move(url);
      request.http = s->http;
      request.allowed_origins = origins;
      return request;
    };
    IdSweepAnswer& answer = answers[s->name];
    if (by_api(*s)) {
      const size_t batch = static_cast<size_t>(s->sweep_batch);
      for (size_t i = 0; i < ids.size(); i += batch) {
        std::vector<std::string> part(ids.begin() + i,
                                      ids.begin() + std::min(ids.size(), i + batch));
        std::string url = ctgov_ids_url(s->discovery_url, part);
        ++answer.requests;
        client.get(request_for(url), [&answer, part, url](HttpResponse&& r) {
          try {
            if (!r.ok()) throw make_error(*r.error);
            CtgovPage page = parse_ctgov_page(r.body);
            std::set<std::string> returned(page.nct_ids.begin(), page.nct_ids.end());
            for (const auto& id : part)
              (returned.count(id) ? answer.found : answer.not_found).insert(id);
          } catch (const Error& e) {
            log_error(url, str_cat("removal sweep: ", e.what(), "; ", part.size(),
                                   " trials left as they are"));
            answer.failed += part.size();
          }
        });
      }
    } else {
      for (const auto& id : ids) {
        std::string url = lookup_url_for(*s->lookup_url, id);
        ++answer.requests;
        client.get(request_for(url), [&answer, id, url](HttpResponse&& r) {
          if (r.ok()) {
            answer.found.insert(id);
          } else if (says_not_found(r.status)) {
            answer.not_found.insert(id);
          } else {
            log_error(url, str_cat("removal sweep: ", *r.error, "; ", id, " left as it is"));
            ++answer.failed;
          }
        });
      }
    }
  }
  client.run();
  return answers;
}

}  // namespace trialmill
