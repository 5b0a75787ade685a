#pragma once
// A polite HTTP client on libcurl's multi interface: per-host rate and concurrency limits,
// robots.txt, bounded same-host redirects, body size limit, retries with backoff, conditional GETs.
// Single-threaded: run() drives every transfer; handlers may queue further requests.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "trialmill/fetch/curl_handles.hpp"
#include "trialmill/fetch/robots.hpp"
#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

struct HttpRequest {
  std::string url;
  std::optional<std::string> if_none_match;      // ETag from the last fetch
  std::optional<std::string> if_modified_since;  // Last-Modified from the last fetch
  HttpSettings http;                             // timeouts, redirects, body limit, retries
  // Origins a redirect may lead to (url_origin form); the request's own origin is always allowed.
  std::set<std::string> allowed_origins;
};

struct HttpResponse {
  std::string url;        // as requested
  std::string final_url;  // after same-host redirects
  long status = 0;        // last HTTP status; 0 when no response arrived
  std::string body;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> error;  // why the request failed; nullopt for 2xx and 304
  int attempts = 0;
  bool ok() const { return !error; }
};

using ResponseHandler = std::function<void(HttpResponse&&)>;

class HttpClient {
 public:
  explicit HttpClient(std::string user_agent);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Only registered origins are ever contacted; a second registration keeps the stricter limits.
  void allow_origin(const std::string& origin, const HttpSettings& politeness);
  bool is_allowed_origin(const std::string& origin) const;

  // Queues a GET; the handler runs inside run() once the request succeeded or finally failed.
  void get(HttpRequest request, ResponseHandler handler);
  // Drives transfers until nothing is queued or in flight.
  void run();

 private:
  struct Job;
  struct Transfer;
  struct Host;
  using Clock = std::chrono::steady_clock;

  void enqueue(std::unique_ptr<Job> job, Clock::time_point not_before);
  void queue_robots(Host& host, const Job& first);
  bool start_due_transfers(Clock::time_point now, Clock::time_point& next_wake);
  void start(std::unique_ptr<Job> job, Host& host);
  void finish(Transfer* transfer, CURLcode code);
  void complete(std::unique_ptr<Job> job, HttpResponse response);
  void fail(std::unique_ptr<Job> job, HttpResponse response, std::string reason);
  void robots_done(Host& host, const HttpResponse& response);

  std::string user_agent_;
  CurlMulti multi_;
  std::map<std::string, Host> hosts_;
  std::map<CURL*, std::unique_ptr<Transfer>> transfers_;
  std::mt19937 rng_;
};

}  // namespace trialmill
