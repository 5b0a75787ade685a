#include "trialmill/fetch/http_client.hpp"

#include <algorithm>
#include <cstring>

#include "trialmill/error.hpp"
#include "trialmill/fetch/retry_policy.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

constexpr size_t kMaxRobotsBytes = 500 * 1024;  // RFC 9309: parse at least 500 KiB, no more needed

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool is_loopback_host(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

// Answers that say "too much, too fast" (or "not you", which a crawler reads the same way): the
// whole host slows down, not just the URL that got them.
bool is_host_backoff_status(long status) {
  return status == 403 || status == 429 || status == 503;
}

std::string describe_curl_error(CURLcode code, const char* detail) {
  std::string s = curl_easy_strerror(code);
  if (detail && *detail) s += str_cat(" (", trim(detail), ")");
  return s;
}

}  // namespace

struct HttpClient::Job {
  HttpRequest request;
  ResponseHandler handler;
  std::string current_url;
  std::string origin;
  int redirects = 0;
  int attempts = 0;
  int failures = 0;  // retryable failures so far
  bool is_robots = false;
};

struct HttpClient::Host {
  HttpSettings politeness;
  std::deque<std::unique_ptr<Job>> ready;
  std::multimap<Clock::time_point, std::unique_ptr<Job>> delayed;  // retries waiting out a backoff
  Clock::time_point next_start{};
  int active = 0;
  enum class RobotsState { unknown, pending, ready } robots_state = RobotsState::unknown;
  RobotsRules robots;
};

struct HttpClient::Transfer {
  Transfer(CURLM* m, std::unique_ptr<Job> j) : multi(m), job(std::move(j)) {}
  ~Transfer() { curl_multi_remove_handle(multi, easy.get()); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Transfer*>(user);
    size_t n = size * count;
    if (self->body.size() + n > self->max_body) {
      self->too_large = true;
      return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
    }
    self->body.append(data, n);
    return n;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Transfer*>(user);
    size_t n = size * count;
    std::string_view line(data, n);
    if (line.substr(0, 5) == "HTTP/") {  // a new response (after 100 Continue): forget the last
      self->etag.reset();
      self->last_modified.reset();
      self->retry_after.reset();
      return n;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string_view name = trim(line.substr(0, colon));
    std::string value(trim(line.substr(colon + 1)));
    if (iequals(name, "etag"))
      self->etag = value;
    else if (iequals(name, "last-modified"))
      self->last_modified = value;
    else if (iequals(name, "retry-after"))
      self->retry_after = value;
    return n;
  }

  CURLM* multi;
  std::unique_ptr<Job> job;
  CurlEasy easy;
  CurlSlist headers;
  std::string body;
  size_t max_body = 0;
  bool too_large = false;
  std::optional<std::string> etag, last_modified, retry_after;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

HttpClient::HttpClient(std::string user_agent)
    : user_agent_(std::move(user_agent)), rng_(std::random_device{}()) {}

// Transfers go first: each removes its easy handle from the still-live multi handle.
HttpClient::~HttpClient() {
  transfers_.clear();
}

void HttpClient::allow_origin(const std::string& origin, const HttpSettings& politeness) {
  auto [it, inserted] = hosts_.try_emplace(origin);
  Host& host = it->second;
  if (inserted) {
    host.politeness = politeness;
    if (origin == "file://") host.robots_state = Host::RobotsState::ready;  // no robots for files
  } else {
    host.politeness.rate = std::min(host.politeness.rate, politeness.rate);
    host.politeness.concurrency = std::min(host.politeness.concurrency, politeness.concurrency);
  }
}

bool HttpClient::is_allowed_origin(const std::string& origin) const {
  return hosts_.count(origin) > 0;
}

void HttpClient::get(HttpRequest request, ResponseHandler handler) {
  auto job = std::make_unique<Job>();
  job->current_url = request.url;
  job->request = std::move(request);
  job->handler = std::move(handler);
  std::optional<Url> url = parse_url(job->current_url);
  if (!url) {
    HttpResponse r;
    r.url = job->request.url;
    fail(std::move(job), std::move(r), "not a valid URL");
    return;
  }
  job->origin = url_origin(*url);
  if (!is_allowed_origin(job->origin)) {
    HttpResponse r;
    r.url = job->request.url;
    fail(std::move(job), std::move(r), str_cat("host ", job->origin, " is not a configured host"));
    return;
  }
  enqueue(std::move(job), Clock::now());
}

void HttpClient::enqueue(std::unique_ptr<Job> job, Clock::time_point not_before) {
  Host& host = hosts_.at(job->origin);
  if (host.robots_state == Host::RobotsState::unknown) queue_robots(host, *job);
  if (not_before > Clock::now())
    host.delayed.emplace(not_before, std::move(job));
  else
    host.ready.push_back(std::move(job));
}

void HttpClient::queue_robots(Host& host, const Job& first) {
  auto job = std::make_unique<Job>();
  job->is_robots = true;
  job->origin = first.origin;
  // Resolved against a real URL of the host so that the Host header is the one pages get.
  job->request.url = job->current_url =
      resolve_url(first.current_url, "/robots.txt").value_or(first.origin + "/robots.txt");
  job->request.http = host.politeness;
  job->request.http.max_body_bytes = kMaxRobotsBytes;
  host.robots_state = Host::RobotsState::pending;
  host.ready.push_front(std::move(job));
}

bool HttpClient::start_due_transfers(Clock::time_point now, Clock::time_point& next_wake) {
  bool queued = false;
  for (auto& [origin, host] : hosts_) {
    while (!host.delayed.empty() && host.delayed.begin()->first <= now) {
      host.ready.push_back(std::move(host.delayed.begin()->second));
      host.delayed.erase(host.delayed.begin());
    }
    if (!host.delayed.empty()) next_wake = std::min(next_wake, host.delayed.begin()->first);
    while (!host.ready.empty() && host.active < host.politeness.concurrency) {
      Job& front = *host.ready.front();
      if (!front.is_robots && host.robots_state != Host::RobotsState::ready) break;
      if (!front.is_robots) {
        auto url = parse_url(front.current_url);
        if (!url || !host.robots.allowed(url->path)) {
          auto job = std::move(host.ready.front());
          host.ready.pop_front();
          HttpResponse r;
          r.url = job->request.url;
          r.final_url = job->current_url;
          fail(std::move(job), std::move(r), "disallowed by robots.txt");
          continue;
        }
      }
      if (now < host.next_start) {
        next_wake = std::min(next_wake, host.next_start);
        break;
      }
      auto job = std::move(host.ready.front());
      host.ready.pop_front();
      start(std::move(job), host);
      host.next_start =
          Clock::now() + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(1.0 / host.politeness.rate));
    }
    if (!host.ready.empty() || !host.delayed.empty()) queued = true;
  }
  return queued;
}

void HttpClient::start(std::unique_ptr<Job> job, Host& host) {
  const HttpSettings& http = job->request.http;
  bool is_file = job->origin == "file://";
  auto t = std::make_unique<Transfer>(multi_.get(), std::move(job));
  Job& j = *t->job;
  CURL* e = t->easy.get();
  t->max_body = http.max_body_bytes;
  curl_easy_setopt(e, CURLOPT_URL, j.current_url.c_str());
  curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, http.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, http.timeout_ms);
  // Redirects are followed here, one request at a time, so that each hop is checked and paced.
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, is_file ? "file" : "http,https");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(http.max_body_bytes));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error_buffer);
  // Validators belong to the URL they came from, not to a redirect target.
  if (!j.is_robots && j.current_url == j.request.url) {
    if (j.request.if_none_match) t->headers.append("If-None-Match: " + *j.request.if_none_match);
    if (j.request.if_modified_since)
      t->headers.append("If-Modified-Since: " + *j.request.if_modified_since);
  }
  if (t->headers.get()) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
  ++j.attempts;
  if (CURLMcode mc = curl_multi_add_handle(multi_.get(), e); mc != CURLM_OK)
    throw make_error("curl_multi_add_handle: ", curl_multi_strerror(mc));
  ++host.active;
  transfers_.emplace(e, std::move(t));
}

void HttpClient::finish(Transfer* transfer, CURLcode code) {
  auto node = transfers_.extract(transfer->easy.get());
  std::unique_ptr<Transfer> t = std::move(node.mapped());
  Host& host = hosts_.at(t->job->origin);
  --host.active;
  long status = 0;
  curl_easy_getinfo(t->easy.get(), CURLINFO_RESPONSE_CODE, &status);
  char* redirect = nullptr;
  curl_easy_getinfo(t->easy.get(), CURLINFO_REDIRECT_URL, &redirect);
  std::optional<std::string> location;
  if (redirect) location = redirect;
  bool is_file = t->job->origin == "file://";
  if (is_file && code == CURLE_OK) status = 200;

  std::unique_ptr<Job> job = std::move(t->job);
  HttpResponse r;
  r.url = job->request.url;
  r.final_url = job->current_url;
  r.status = status;
  r.etag = t->etag;
  r.last_modified = t->last_modified;
  r.attempts = job->attempts;
  std::optional<std::string> retry_after = t->retry_after;
  const HttpSettings& http = job->request.http;

  if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
    fail(std::move(job), std::move(r), str_cat("body larger than ", http.max_body_bytes, " bytes"));
    return;
  }
  r.body = std::move(t->body);
  std::string curl_detail = t->error_buffer;
  t.reset();  // the connection goes back to the pool before any handler runs

  std::optional<std::string> retry_reason;
  std::optional<std::chrono::milliseconds> server_wait;  // Retry-After, honoured as given
  if (code != CURLE_OK) {
    std::string reason = describe_curl_error(code, curl_detail.c_str());
    if (!is_retryable_curl_code(code)) {
      fail(std::move(job), std::move(r), reason);
      return;
    }
    retry_reason = reason;
  } else if (is_retryable_status(status) || (status == 403 && job->failures < 1)) {
    // A 403 is retried once after a back-off: sites answer it to a crawler going too fast.
    retry_reason = str_cat("HTTP ", status);
    if (retry_after) {
      auto wait = parse_retry_after(*retry_after, std::chrono::system_clock::now());
      if (wait && wait->count() > http.max_retry_after_ms) {
        fail(std::move(job), std::move(r),
             str_cat("HTTP ", status, " with Retry-After ", *retry_after, " beyond the limit of ",
                     http.max_retry_after_ms, " ms"));
        return;
      }
      server_wait = wait;
    }
  }
  if (retry_reason) {
    ++job->failures;
    if (job->failures > http.max_retries) {
      fail(std::move(job), std::move(r),
           str_cat(*retry_reason, " after ", job->attempts, " attempts"));
      return;
    }
    auto delay = server_wait ? *server_wait : backoff_delay(http, job->failures, rng_);
    // A Retry-After, a 403, 429 or 503 speaks for the server, not for one URL: the whole host
    // waits.
    if (server_wait || is_host_backoff_status(status))
      host.next_start = std::max(host.next_start, Clock::now() + delay);
    log_message(LogLevel::info, job->current_url,
                str_cat(*retry_reason, "; retrying in ", delay.count(), " ms"));
    enqueue(std::move(job), Clock::now() + delay);
    return;
  }
  if (is_redirect(status)) {
    if (!location) {
      fail(std::move(job), std::move(r), str_cat("HTTP ", status, " without a Location"));
      return;
    }
    std::optional<Url> target = parse_url(*location);
    std::string origin = target ? url_origin(*target) : std::string();
    bool allowed = target && is_allowed_origin(origin) &&
                   (origin == job->origin || job->request.allowed_origins.count(origin));
    if (!allowed) {
      fail(std::move(job), std::move(r),
           str_cat("redirect to ", *location, " leaves the configured hosts; not followed"));
      return;
    }
    if (++job->redirects > http.max_redirects) {
      fail(std::move(job), std::move(r), str_cat("more than ", http.max_redirects, " redirects"));
      return;
    }
    job->current_url = *location;
    job->origin = origin;
    enqueue(std::move(job), Clock::now());
    return;
  }
  if ((status >= 200 && status < 300) || status == 304) {
    complete(std::move(job), std::move(r));
    return;
  }
  fail(std::move(job), std::move(r), str_cat("HTTP ", status));
}

void HttpClient::complete(std::unique_ptr<Job> job, HttpResponse response) {
  if (job->is_robots) {
    robots_done(hosts_.at(job->origin), response);
    return;
  }
  job->handler(std::move(response));
}

void HttpClient::fail(std::unique_ptr<Job> job, HttpResponse response, std::string reason) {
  response.error = std::move(reason);
  response.body.clear();
  complete(std::move(job), std::move(response));
}

void HttpClient::robots_done(Host& host, const HttpResponse& response) {
  host.robots_state = Host::RobotsState::ready;
  if (response.ok() && response.status >= 200 && response.status < 300) {
    host.robots = RobotsRules::parse(response.body);
    if (auto delay = host.robots.crawl_delay(); delay && *delay > 0) {
      double seconds = *delay;
      const double cap = host.politeness.loopback_crawl_delay_cap;
      auto url = parse_url(response.url);
      if (cap >= 0 && url && is_loopback_host(url->host)) seconds = std::min(seconds, cap);
      // The site's own pace: never faster than it asks, one transfer at a time (the delay is
      // between requests, which parallel transfers would defeat).
      // 50 ms over the delay, so that the gap the server sees between two requests (each sent
      // a moment after it is started) is not under what it asked for.
      if (seconds > 0) {
        seconds += 0.05;
        host.politeness.rate = std::min(host.politeness.rate, 1.0 / seconds);
        host.politeness.concurrency = 1;
        host.next_start =
            std::max(host.next_start, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                         std::chrono::duration<double>(seconds)));
      }
    }
  } else if (response.status >= 400 && response.status < 500) {
    host.robots = RobotsRules::allow_all();  // no robots.txt: no restrictions (RFC 9309)
  } else {
    // Unreachable robots.txt means the site may be struggling: crawl nothing (RFC 9309).
    host.robots = RobotsRules::disallow_all();
    log_warning(response.url, str_cat("robots.txt unavailable (", response.error.value_or("?"),
                                      "); not fetching from this host"));
  }
}

void HttpClient::run() {
  for (;;) {
    Clock::time_point now = Clock::now();
    Clock::time_point next_wake = now + std::chrono::seconds(1);
    bool queued = start_due_transfers(now, next_wake);
    int running = 0;
    if (CURLMcode mc = curl_multi_perform(multi_.get(), &running); mc != CURLM_OK)
      throw make_error("curl_multi_perform: ", curl_multi_strerror(mc));
    int left = 0;
    bool finished_any = false;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      auto it = transfers_.find(msg->easy_handle);
      if (it == transfers_.end()) continue;
      finish(it->second.get(), msg->data.result);
      finished_any = true;
    }
    if (finished_any) continue;  // handlers may have queued work that can start now
    if (!queued && transfers_.empty()) break;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_wake - Clock::now());
    int wait_ms = static_cast<int>(std::clamp<long>(wait.count(), 0, 1000));
    if (CURLMcode mc = curl_multi_poll(multi_.get(), nullptr, 0, wait_ms, nullptr); mc != CURLM_OK)
      throw make_error("curl_multi_poll: ", curl_multi_strerror(mc));
  }
}

}  // namespace trialmill
