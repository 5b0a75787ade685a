// The fetch stage against a real HTTP server on 127.0.0.1 serving the offline registry
// (fixtures/registry), with faults injected on chosen paths. Nothing leaves the loopback interface.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/fetch/http_client.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

using Clock = std::chrono::steady_clock;

// Requests per second per host in the test config, and the measuring slack: the server stamps a
// request when its handler starts, which for a fresh connection (or on a loaded machine) comes
// some ms after the client sent it. A limiter that did not work would show gaps near zero.
constexpr int kRate = 10;
constexpr auto kMinGap = std::chrono::milliseconds(1000 / kRate - 40);

struct Hit {
  std::string path;  // with the query
  Clock::time_point at;
  int status = 0;
  std::string if_none_match;
  std::string user_agent;
  std::string accept_encoding;
};

// The offline registry as a real HTTP server, with ETags and the fault paths under /faults/.
class RegistryServer {
 public:
  RegistryServer() {
    server_.set_keep_alive_timeout(1);
    server_.Get(".*",
                [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(server_.is_running());
  }
  ~RegistryServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void set_offsite(std::string url) { offsite_ = std::move(url); }
  void revise(const std::string& path) {
    std::lock_guard lock(mutex_);
    revised_.insert(path);
  }
  int max_in_flight() const { return max_in_flight_; }
  std::vector<Hit> take_hits() {
    std::lock_guard lock(mutex_);
    return std::exchange(hits_, {});
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    Hit hit{req.path,
            Clock::now(),
            0,
            req.get_header_value("If-None-Match"),
            req.get_header_value("User-Agent"),
            req.get_header_value("Accept-Encoding")};
    if (!req.params.empty()) {
      std::string query;
      for (const auto& [k, v] : req.params) query += (query.empty() ? "?" : "&") + k + "=" + v;
      hit.path += query;
    }
    int count = 0;
    {
      std::lock_guard lock(mutex_);
      count = ++counts_[req.path];
      max_in_flight_ = std::max(max_in_flight_.load(), ++in_flight_);
    }
    respond(req, res, count);
    --in_flight_;
    hit.status = res.status == -1 ? 200 : res.status;  // httplib fills in 200 after the handler
    std::lock_guard lock(mutex_);
    hits_.push_back(hit);
  }

  void respond(const httplib::Request& req, httplib::Response& res, int count) {
    const std::string& path = req.path;
    if (path == "/faults/sitemap.xml") {
      std::string xml = "<urlset>";
      for (const char* loc : {"429.txt", "500-once.txt", "slow.txt", "truncated.txt", "loop.txt",
                              "offsite.txt", "big.txt", "/private/secret.txt"})
        xml += str_cat("<url><loc>", loc, "</loc></url>");
      serve(req, res, xml + "</urlset>", "application/xml");
    } else if (path == "/faults/429.txt" && count == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
    } else if (path == "/faults/500-once.txt" && count == 1) {
      res.status = 500;
    } else if (path == "/faults/429.txt" || path == "/faults/500-once.txt") {
      serve(req, res, "Recovered page for " + path + "\n", "text/plain");
    } else if (path == "/faults/slow.txt") {
      std::this_thread::sleep_for(std::chrono::milliseconds(1000));
      res.set_content("too late\n", "text/plain");
    } else if (path == "/faults/truncated.txt") {
      // Promises 5000 bytes, sends 100, then drops the connection.
      res.set_content_provider(5000, "text/plain",
                               [](size_t offset, size_t, httplib::DataSink& sink) {
                                 if (offset == 0) sink.write(std::string(100, 'x').data(), 100);
                                 return false;
                               });
    } else if (path == "/faults/loop.txt") {
      res.set_redirect("/faults/loop2.txt");
    } else if (path == "/faults/loop2.txt") {
      res.set_redirect("/faults/loop.txt");
    } else if (path == "/faults/offsite.txt") {
      res.set_redirect(offsite_ + "/stolen.txt");
    } else if (path.rfind("/hold/", 0) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      res.set_content("held " + path + "\n", "text/plain");
    } else if (path == "/faults/429-long.txt") {
      res.status = 429;
      res.set_header("Retry-After", "3600");
    } else if (path == "/faults/big.txt") {
      res.set_content(std::string(2u << 20, 'b'), "text/plain");
    } else {
      serve_file(req, res);
    }
  }

  void serve_file(const httplib::Request& req, httplib::Response& res) {
    fs::path root = fixtures_dir() / "registry";
    std::string rel = req.path.substr(1);
    if (req.path == "/api/v2/studies") {
      std::string token = req.has_param("pageToken") ? req.get_param_value("pageToken") : "1";
      if (token.empty() || !std::all_of(token.begin(), token.end(), ::isdigit)) token = "invalid";
      rel = "api/v2/studies/page-" + token + ".json";
    } else if (req.path.rfind("/api/v2/studies/", 0) == 0) {
      rel += ".json";
    }
    fs::path file = root / rel;
    if (rel.find("..") != std::string::npos || !fs::is_regular_file(file)) {
      res.status = 404;
      return;
    }
    std::string body = read_text(file);
    {
      std::lock_guard lock(mutex_);
      if (revised_.count(req.path)) body += "\nRevised.\n";
    }
    serve(req, res, body, rel.ends_with(".json") ? "application/json" : "text/plain");
  }

  static void serve(const httplib::Request& req, httplib::Response& res, const std::string& body,
                    const char* type) {
    std::string etag = "\"" + sha256_hex(body).substr(0, 16) + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.set_content(body, type);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::string offsite_;
  std::mutex mutex_;
  std::map<std::string, int> counts_;
  std::set<std::string> revised_;
  std::vector<Hit> hits_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
};

// Accepts connections on 127.0.0.1 and answers robots.txt with 404; every other request is
// reset without a response, like a crashing backend.
class ResettingServer {
 public:
  ResettingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~ResettingServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  ResettingServer(const ResettingServer&) = delete;
  ResettingServer& operator=(const ResettingServer&) = delete;

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int hits() const { return hits_; }

 private:
  void loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++hits_;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 1000) <= 0) break;
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      if (request.rfind("GET /robots.txt ", 0) == 0) {
        std::string reply =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (void)!::write(c, reply.data(), reply.size());
      } else {
        linger l{1, 0};  // close with RST rather than FIN
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      }
      ::close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> hits_{0};
};

// The offline config pointed at the test servers, with short timeouts so that faults are quick.
std::string test_config(const std::string& reset_base) {
  JsonDocument doc =
      parse_json(read_text(source_dir() / "config" / "offline.json"), "offline.json");
  auto& a = doc.GetAllocator();
  JsonValue& http = doc["http"];
  set_member(http, "rate", JsonValue(kRate), a);
  set_member(http, "timeout_ms", JsonValue(500), a);
  set_member(http, "max_retries", JsonValue(2), a);
  set_member(http, "backoff_base_ms", JsonValue(50), a);
  set_member(http, "backoff_max_ms", JsonValue(200), a);
  set_member(http, "max_redirects", JsonValue(3), a);
  set_member(http, "max_body_bytes", JsonValue(1 << 20), a);
  JsonValue faults(rapidjson::kObjectType);
  set_string(faults, "name", "faults", a);
  set_string(faults, "format", "veeva", a);
  set_string(faults, "base_url", "{base}", a);
  set_string(faults, "discovery", "sitemap", a);
  set_string(faults, "discovery_url", "{base}/faults/sitemap.xml", a);
  doc["sources"].PushBack(faults, a);
  JsonValue flaky(rapidjson::kObjectType);
  set_string(flaky, "name", "flaky", a);
  set_string(flaky, "format", "aggregator-trialx", a);
  set_string(flaky, "base_url", reset_base, a);
  set_string(flaky, "discovery", "listing", a);
  set_string(flaky, "discovery_url", reset_base + "/listing.html", a);
  set_string(flaky, "lookup_url", reset_base + "/trials/{nct_id}", a);
  doc["sources"].PushBack(flaky, a);
  return to_pretty_json(doc);
}

struct Manifest {
  std::vector<JsonDocument> lines;
  std::map<std::string, long> status_by_url;
};

// Parses and checks every manifest line against the contract and the archive.
Manifest check_manifest(const std::string& out) {
  Manifest m;
  for (auto line : split(out, '\n')) {
    if (trim(line).empty()) continue;
    JsonDocument doc = parse_json(line, "manifest line");
    REQUIRE(doc.IsObject());
    for (const char* key : {"url", "format", "path", "sha256", "http_status", "fetched_at", "etag",
                            "last_modified", "nct_id"})
      CHECK_MESSAGE(doc.HasMember(key), key, " missing in ", line);
    std::string path = get_string_or(doc, "path", "");
    std::string sha = get_string_or(doc, "sha256", "");
    REQUIRE_MESSAGE(fs::is_regular_file(path), path);
    CHECK(sha256_hex(read_text(path)) == sha);
    CHECK(fs::path(path).filename() == sha);
    CHECK(fs::path(path).parent_path().filename() == sha.substr(2, 2));
    CHECK(get_string_or(doc, "fetched_at", "").size() == 20);
    if (auto id = get_string(doc, "nct_id")) CHECK(is_nct_id(*id));
    m.status_by_url[get_string_or(doc, "url", "")] = doc["http_status"].GetInt();
    m.lines.push_back(std::move(doc));
  }
  return m;
}

// Requests per second over the whole run, as the server saw them.
double mean_rate(const std::vector<Hit>& hits) {
  auto [first, last] = std::minmax_element(hits.begin(), hits.end(),
                                           [](const Hit& a, const Hit& b) { return a.at < b.at; });
  double seconds = std::chrono::duration<double>(last->at - first->at).count();
  return seconds > 0 ? static_cast<double>(hits.size() - 1) / seconds : 0;
}

// The shortest gap between two consecutive requests the server saw.
std::chrono::milliseconds min_spacing(std::vector<Hit> hits) {
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.at < b.at; });
  auto best = std::chrono::milliseconds::max();
  for (size_t i = 1; i < hits.size(); ++i) {
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(hits[i].at - hits[i - 1].at);
    if (gap < kMinGap) MESSAGE(hits[i - 1].path, " -> ", hits[i].path, ": ", gap.count(), " ms");
    best = std::min(best, gap);
  }
  return best;
}

size_t count_status(const Manifest& m, long status) {
  size_t n = 0;
  for (const auto& [url, s] : m.status_by_url) n += s == status;
  return n;
}

}  // namespace

TEST_CASE("fetch: the offline registry over loopback, with faults, then a conditional second run") {
  RegistryServer registry;
  RegistryServer offsite;  // a host nobody configured: must never be asked anything
  ResettingServer resetting;
  registry.set_offsite(offsite.base());
  TempDir dir;
  write_text(dir / "sources.json", test_config(resetting.base()));
  std::vector<std::string> args = {"--config",  (dir / "sources.json").string(),
                                   "--base",    registry.base(),
                                   "--archive", (dir / "archive").string()};
  std::string b = registry.base();

  auto started = Clock::now();
  CommandResult first = run_tool("trialmill-fetch", args);
  INFO("stderr: ", first.err);
  CHECK(first.exit_code == 1);  // the faults
  Manifest m1 = check_manifest(first.out);

  // Every registry page arrived, and the pages behind a 429 and a 500 arrived after retrying.
  for (const std::string& path :
       {std::string("/api/v2/studies?format=json&pageSize=2"),
        std::string("/api/v2/studies?format=json&pageSize=2&pageToken=2"),
        std::string("/veeva/study/"
                    "all-trans-retinoic-acid-atra-in-the-treatment-of-recurrent-metastatic-adenoid-"
                    "cystic-carcinoma-of.txt"),
        std::string("/veeva/study/"
                    "targeted-or-chemotherapy-combined-with-immunotherapy-versus-chemotherapy-for-"
                    "pd-1-inhibitor-refractory-rm-npc.txt"),
        std::string("/ctgov/show/NCT03792542.txt"),
        std::string("/meddatax/clinical-trials/NCT06158412.txt"),
        std::string("/trialx/clinical-trials/NCT06935188.txt"),
        std::string("/generic/trials/atra-adenoid-cystic-carcinoma.html"),
        std::string("/faults/429.txt"),
        std::string("/faults/500-once.txt")})
    CHECK_MESSAGE(m1.status_by_url[b + path] == 200, path);
  CHECK(m1.lines.size() == 10);
  // The archive holds the bytes as served, whatever content coding carried them.
  for (const auto& doc : m1.lines) {
    std::string url = get_string_or(doc, "url", "");
    if (url == b + "/ctgov/show/NCT03792542.txt")
      CHECK(read_text(get_string_or(doc, "path", "")) ==
            read_text(fixtures_dir() / "registry" / "ctgov" / "show" / "NCT03792542.txt"));
  }

  // Every other page is reported with its reason.
  auto reported = [&](const std::string& url, const std::string& reason) {
    for (auto line : split(first.err, '\n'))
      if (line.find(url) != std::string_view::npos && line.find(reason) != std::string_view::npos)
        return true;
    return false;
  };
  CHECK(reported(b + "/faults/slow.txt", "Timeout was reached"));
  CHECK(reported(b + "/faults/slow.txt", "after 3 attempts"));
  CHECK(reported(b + "/faults/truncated.txt", "partial file"));
  CHECK(reported(b + "/faults/loop.txt", "more than 3 redirects"));
  CHECK(reported(b + "/faults/offsite.txt", "leaves the configured hosts"));
  CHECK(reported(b + "/faults/big.txt", "body larger than 1048576 bytes"));
  CHECK(reported(b + "/private/secret.txt", "disallowed by robots.txt"));
  CHECK(reported(resetting.base() + "/listing.html", "after 3 attempts"));

  std::vector<Hit> hits1 = registry.take_hits();
  // Politeness: robots.txt once, first; the rate held between any two requests.
  REQUIRE(!hits1.empty());
  CHECK(std::count_if(hits1.begin(), hits1.end(),
                      [](const Hit& h) { return h.path == "/robots.txt"; }) == 1);
  CHECK(std::min_element(hits1.begin(), hits1.end(), [](const Hit& x, const Hit& y) {
          return x.at < y.at;
        })->path == "/robots.txt");
  CHECK(min_spacing(hits1) >= kMinGap);
  CHECK(mean_rate(hits1) <= kRate * 1.02);
  // The 429 was retried no sooner than its Retry-After.
  std::vector<Clock::time_point> t429;
  for (const auto& h : hits1)
    if (h.path == "/faults/429.txt") t429.push_back(h.at);
  REQUIRE(t429.size() == 2);
  CHECK(std::chrono::abs(t429[1] - t429[0]) >= std::chrono::milliseconds(950));
  for (const auto& h : hits1) {
    CHECK_MESSAGE(h.path.rfind("/private/", 0) != 0, h.path);
    CHECK(h.user_agent.find("mailto:") != std::string::npos);
    CHECK(h.accept_encoding.find("gzip") != std::string::npos);
  }
  // Nothing outside the configured hosts; the resetting host saw robots.txt and 3 attempts.
  CHECK(offsite.take_hits().empty());
  CHECK(resetting.hits() == 4);

  // The pages can be parsed from the archive (the ClinicalTrials.gov JSON pages aside).
  std::string page_lines;
  for (const auto& doc : m1.lines)
    if (get_string_or(doc, "format", "") != "ctgov-v2-json" &&
        get_string_or(doc, "url", "").find("/faults/") == std::string::npos)
      page_lines += to_json(doc) + "\n";
  CommandResult parsed = run_tool("trialmill-parse", {}, page_lines);
  CHECK(parsed.exit_code == 0);
  for (const char* id : {"NCT04433169", "NCT05549466", "NCT03792542", "NCT06158412", "NCT06935188"})
    CHECK_MESSAGE(parsed.out.find(id) != std::string::npos, id);

  // Second run: one page changed; everything else costs a 304 and points to the archived copy.
  registry.revise("/meddatax/clinical-trials/NCT06158412.txt");
  CommandResult second = run_tool("trialmill-fetch", args);
  INFO("second stderr: ", second.err);
  CHECK(second.exit_code == 1);
  Manifest m2 = check_manifest(second.out);
  CHECK(m2.lines.size() == 10);
  CHECK(count_status(m2, 200) == 1);
  CHECK(count_status(m2, 304) == 9);
  CHECK(m2.status_by_url[b + "/meddatax/clinical-trials/NCT06158412.txt"] == 200);
  for (const auto& doc : m2.lines) {
    std::string url = get_string_or(doc, "url", "");
    if (m2.status_by_url[url] != 304) continue;
    for (const auto& old : m1.lines)
      if (get_string_or(old, "url", "") == url)
        CHECK(get_string_or(old, "sha256", "") == get_string_or(doc, "sha256", ""));
  }
  std::vector<Hit> hits2 = registry.take_hits();
  std::set<std::string> transferred;
  for (const auto& h : hits2) {
    if (h.path.rfind("/faults/", 0) == 0) continue;
    if (h.status == 200) transferred.insert(h.path);
    if (h.path != "/robots.txt") CHECK_MESSAGE(!h.if_none_match.empty(), h.path);
  }
  CHECK(join({transferred.begin(), transferred.end()}, " ") ==
        "/meddatax/clinical-trials/NCT06158412.txt /robots.txt");
  CHECK(min_spacing(hits2) >= kMinGap);
  CHECK(mean_rate(hits2) <= kRate * 1.02);
  CHECK(offsite.take_hits().empty());
  CHECK(Clock::now() - started < std::chrono::seconds(20));
}

TEST_CASE("fetch: --nct looks trials up by ID on the sources that can") {
  RegistryServer registry;
  TempDir dir;
  std::vector<std::string> args = {"--config",  (source_dir() / "config" / "offline.json").string(),
                                   "--base",    registry.base(),
                                   "--archive", (dir / "archive").string(),
                                   "--source",  "ctgov",
                                   "--source",  "veeva",
                                   "--nct",     "NCT04433169"};
  CommandResult r = run_tool("trialmill-fetch", args);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  Manifest m = check_manifest(r.out);
  REQUIRE(m.lines.size() == 1);
  CHECK(get_string_or(m.lines[0], "nct_id", "") == "NCT04433169");
  CHECK(get_string_or(m.lines[0], "format", "") == "ctgov-v2-json");
  CHECK(get_string_or(m.lines[0], "url", "") == registry.base() + "/api/v2/studies/NCT04433169");
  CHECK(r.err.find("veeva") != std::string::npos);  // no lookup: said so, not an error
  // An ID the registry does not have is a failed page, reported.
  args.back() = "NCT09999999";
  CommandResult missing = run_tool("trialmill-fetch", args);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("NCT09999999: HTTP 404") != std::string::npos);
}

TEST_CASE("fetch: --since skips sitemap entries last modified before the date") {
  RegistryServer registry;
  TempDir dir;
  CommandResult r = run_tool(
      "trialmill-fetch",
      {"--config", (source_dir() / "config" / "offline.json").string(), "--base", registry.base(),
       "--archive", (dir / "archive").string(), "--source", "veeva", "--since", "2026-11-01"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  Manifest m = check_manifest(r.out);
  REQUIRE(m.lines.size() == 1);
  CHECK(get_string_or(m.lines[0], "url", "").find("/veeva/study/all-trans-retinoic-acid") !=
        std::string::npos);
}

TEST_CASE("fetch: usage and config errors exit 2 before any request") {
  TempDir dir;
  CHECK(run_tool("trialmill-fetch", {}).exit_code == 2);
  CHECK(run_tool("trialmill-fetch", {"--config", (dir / "missing.json").string()}).exit_code == 2);
  auto offline = (source_dir() / "config" / "offline.json").string();
  CHECK(run_tool("trialmill-fetch", {"--config", offline}).exit_code == 2);  // {base} unset
  CHECK(run_tool("trialmill-fetch",
                 {"--config", offline, "--base", "http://127.0.0.1:1", "--source", "nope"})
            .exit_code == 2);
  CHECK(run_tool("trialmill-fetch", {"--config", offline, "--nct", "NCT1"}).exit_code == 2);
  CommandResult help = run_tool("trialmill-fetch", {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Exit status:") != std::string::npos);
}

TEST_CASE("fetch: a file:// registry is confined to its directory") {
  TempDir dir;
  fs::create_directories(dir / "registry" / "pages");
  write_text(dir / "registry" / "pages" / "NCT01234567.txt", "Identifier: NCT01234567\n");
  write_text(
      dir / "registry" / "sitemap.xml",
      "<urlset><url><loc>pages/NCT01234567.txt</loc></url>"
      "<url><loc>file:///etc/hostname</loc></url><url><loc>../outside.txt</loc></url></urlset>");
  write_text(dir / "sources.json",
             R"json({"user_agent": "t (mailto:t@example.org)", "http": {"rate": 100},
    "sources": [{"name": "local", "format": "veeva", "base_url": "{base}", "discovery": "sitemap",
                 "discovery_url": "{base}/sitemap.xml"}]})json");
  CommandResult r = run_tool("trialmill-fetch", {"--config", (dir / "sources.json").string(),
                                                 "--base", "file://" + (dir / "registry").string(),
                                                 "--archive", (dir / "archive").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  Manifest m = check_manifest(r.out);
  REQUIRE(m.lines.size() == 1);
  CHECK(get_string_or(m.lines[0], "nct_id", "") == "NCT01234567");
  CHECK(r.err.find("file:///etc/hostname") != std::string::npos);
  CHECK(r.err.find("outside.txt") != std::string::npos);
}

TEST_CASE("fetch http client: concurrency per host, unconfigured hosts, a Retry-After too long") {
  RegistryServer registry;
  RegistryServer offsite;
  HttpSettings http;
  http.rate = 100;
  http.concurrency = 2;
  // The registry's robots.txt asks for a Crawl-delay; this test measures the client's own limits.
  http.loopback_crawl_delay_cap = 0;
  http.timeout_ms = 3000;
  http.max_retries = 3;
  HttpClient client("trialmill-test (mailto:t@example.org)");
  client.allow_origin(url_origin(registry.base()), http);
  std::vector<HttpResponse> done;
  auto keep = [&](HttpResponse&& r) { done.push_back(std::move(r)); };
  for (int i = 0; i < 6; ++i)
    client.get({registry.base() + "/hold/" + std::to_string(i), {}, {}, http, {}}, keep);
  client.get({offsite.base() + "/x", {}, {}, http, {}}, keep);
  client.get({registry.base() + "/faults/429-long.txt", {}, {}, http, {}}, keep);
  auto started = Clock::now();
  client.run();
  CHECK(Clock::now() - started < std::chrono::seconds(3));
  REQUIRE(done.size() == 8);
  size_t ok = 0;
  for (const auto& r : done) {
    if (r.ok()) {
      ++ok;
      CHECK(r.status == 200);
      CHECK(r.body.rfind("held /hold/", 0) == 0);
    } else if (r.url.find("/x") != std::string::npos) {
      CHECK(r.error->find("not a configured host") != std::string::npos);
    } else {
      CHECK(r.error->find("Retry-After 3600 beyond the limit") != std::string::npos);
      CHECK(r.attempts == 1);
    }
  }
  CHECK(ok == 6);
  CHECK(registry.max_in_flight() == 2);  // two at a time, and really in parallel
  CHECK(offsite.take_hits().empty());
}
