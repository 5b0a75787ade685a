// Crawling whole sites (issue 21): listing pagination, nested gzipped sitemaps, Crawl-delay, a site
// with no parser of its own, the removal sweep by ID, the placeholder contact and the dry run.
// Real servers on 127.0.0.1 started by the tests; nothing leaves the loopback interface.
#include <doctest/doctest.h>
#include <httplib.h>
#include <zlib.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/pagination.hpp"
#include "trialmill/fetch/robots.hpp"
#include "trialmill/fetch/sitemap.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

using Clock = std::chrono::steady_clock;

std::string gzip_bytes(std::string_view text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) ==
          Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string nct(int n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "NCT%08d", 10000000 + n);
  return buffer;
}

// A site built in memory: path (with query) -> body; every request recorded with its time.
class Site {
 public:
  Site() {
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::string path = req.path;
      std::string query;
      for (const auto& [k, v] : req.params) query += (query.empty() ? "?" : "&") + k + "=" + v;
      path += query;
      std::lock_guard lock(mutex_);
      hits_.push_back({path, Clock::now()});
      auto it = pages_.find(path);
      if (it == pages_.end()) {
        res.status = 404;
        return;
      }
      res.set_content(it->second, "text/html");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(server_.is_running());
  }
  ~Site() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void page(const std::string& path, std::string body) {
    std::lock_guard lock(mutex_);
    pages_[path] = std::move(body);
  }
  std::vector<std::pair<std::string, Clock::time_point>> hits() {
    std::lock_guard lock(mutex_);
    return hits_;
  }
  std::map<std::string, int> hit_counts() {
    std::map<std::string, int> counts;
    for (const auto& [path, at] : hits()) ++counts[path];
    return counts;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, std::string> pages_;
  std::vector<std::pair<std::string, Clock::time_point>> hits_;
};

std::string config_json(const std::string& sources, double rate = 50) {
  return str_cat(
      "{\"user_agent\": \"trialmill-test (mailto:trialmill-crawler@example.org)\", \"http\": "
      "{\"rate\": ",
      rate, ", \"concurrency\": 4, \"max_retries\": 0, \"timeout_ms\": 5000}, \"sources\": [",
      sources, "]}");
}

FetchSummary fetch_all(const std::string& config_text, const std::string& base,
                       const fs::path& archive, std::vector<ManifestLine>* lines = nullptr) {
    FetchConfig config = parse_fetch_config(config_text, "test config", base);
    FetchOptions options;
    options.archive_dir = archive.string();
    return run_fetch(config, options, [&](const ManifestLine& line) {
      if (lines) lines->push_back(line);
    });
}

// A copy of fixtures/registry that a test may change, served on a free loopback port.
struct RegistryCopy {
    TempDir dir;
    fs::path root = [this] {
      fs::copy(fixtures_dir() / "registry", dir / "registry", fs::copy_options::recursive);
      return dir / "registry";
    }();
    BackgroundTool server{"trialmill-registry-server", {root.string()}};
    std::string base = server.read_line().value_or("");
};

}  // namespace

TEST_CASE("crawl units: next links, page parameters, Crawl-delay, gzip, placeholder contacts") {
  ListingLinks a = read_listing_links(
      R"(<a href="/t/1">one</a> <a href="/t/1#top">again</a> <a href="?page=2" rel="next">2</a>)",
      "http://h/list");
  CHECK(a.links == std::vector<std::string>{"http://h/t/1", "http://h/list?page=2"});
  CHECK(a.next == "http://h/list?page=2");
  CHECK(read_listing_links(R"(<a href="p3.html">Next &raquo;</a>)", "http://h/x/p2.html").next ==
        "http://h/x/p3.html");
  CHECK(read_listing_links(R"(<a href="p9.html" aria-label="Next page">&rsaquo;</a>)", "http://h/")
            .next == "http://h/p9.html");
  // "»" alone is as often the last page as the next one: not followed.
  CHECK(!read_listing_links(R"(<a href="p9.html">&raquo;</a>)", "http://h/").next);
  CHECK(!read_listing_links(R"(<link rel="prev" href="p1.html">)", "http://h/").next);
  CHECK(read_listing_links(R"(<link rel="next" href="p2.html">)", "http://h/").next ==
        "http://h/p2.html");

  CHECK(with_query_param("http://h/l", "page", "2") == "http://h/l?page=2");
  CHECK(with_query_param("http://h/l?q=a&page=2#x", "page", "3") == "http://h/l?q=a&page=3#x");
  CHECK(with_query_param("http://h/l?q=a", "offset", "40") == "http://h/l?q=a&offset=40");

  CHECK(RobotsRules::parse("User-agent: *\nCrawl-delay: 2\n").crawl_delay() == 2.0);
  CHECK(RobotsRules::parse("User-agent: *\nCrawl-delay: 0.5\nDisallow: /x\n").crawl_delay() == 0.5);
  CHECK(!RobotsRules::parse("User-agent: *\nCrawl-delay: soon\n").crawl_delay());
  CHECK(!RobotsRules::parse("User-agent: other\nCrawl-delay: 9\n").crawl_delay());
  CHECK(
      RobotsRules::parse("User-agent: *\nCrawl-delay: 9\n\nUser-agent: trialmill\nCrawl-delay: 3\n")
          .crawl_delay() == 3.0);

  const std::string xml = "<urlset><url><loc>a</loc></url></urlset>";
  CHECK(gunzip_if_gzipped(gzip_bytes(xml), 1 << 20) == xml);
  CHECK(gunzip_if_gzipped(xml, 1 << 20) == xml);
  CHECK_THROWS_WITH_AS(gunzip_if_gzipped(gzip_bytes(std::string(5000, 'a')), 1000),
                       doctest::Contains("inflates past 1000"), Error);
  std::string cut = gzip_bytes(xml);
  CHECK_THROWS_AS(gunzip_if_gzipped(cut.substr(0, cut.size() / 2), 1 << 20), Error);

  CHECK(is_placeholder_contact("trialmill/0.1 (+mailto:trialmill-crawler@example.org)"));
  CHECK(is_placeholder_contact("bot (https://example.com/about)"));
  CHECK(!is_placeholder_contact("trialmill/0.1 (mailto:data-team@example.organisation.eu)"));
  CHECK(!is_placeholder_contact("trialmill/0.1 (mailto:crawler@university.edu)"));

  // format "auto" is accepted; a listing needs a lookup_url or detail_links.
  CHECK_NOTHROW(parse_fetch_config(
      config_json(R"({"name": "g", "format": "auto", "base_url": "http://h", "discovery": "listing",
                      "discovery_url": "http://h/l", "detail_links": "/trial/"})"),
      "c", std::nullopt));
  CHECK_THROWS_WITH_AS(
      parse_fetch_config(config_json(R"({"name": "g", "format": "auto", "base_url": "http://h",
                                         "discovery": "listing", "discovery_url": "http://h/l"})"),
                         "c", std::nullopt),
      doctest::Contains("needs a lookup_url or detail_links"), UsageError);
}

TEST_CASE("crawl: every page of a 5-page listing and of a nested gzipped sitemap is fetched once") {
  Site site;
  site.page("/robots.txt", "User-agent: *\nDisallow: /private/\n");
  // Listing A: five pages chained by "next" links (rel="next" on 1-3, a "Next ›" anchor on 4),
  // two trials a page, looked up by NCT ID; page 3 repeats a trial of page 2.
  for (int p = 1; p <= 5; ++p) {
    std::string body = "<ul>";
    for (int i : {2 * p - 1, 2 * p})
      body += str_cat("<li><a href=\"/show/", nct(i), "\">", nct(i), "</a></li>");
    if (p == 3) body += str_cat("<li>", nct(4), "</li>");
    body += "</ul>";
    if (p <= 3) body += str_cat("<a rel=\"next\" href=\"/list?page=", p + 1, "\">", p + 1, "</a>");
    if (p == 4) body += "<a href=\"/list?page=5\">Next &rsaquo;</a>";
    site.page(p == 1 ? "/list" : str_cat("/list?page=", p), body);
  }
  for (int i = 1; i <= 10; ++i) site.page("/show/" + nct(i), "study " + nct(i));
  // Listing B: pages only by an offset parameter, detail pages by their links (no NCT ID in
  // their address); the page after the last is empty and ends it.
  for (int off = 0; off <= 50; off += 10) {
    std::string body;
    if (off < 50)
      for (int i = 0; i < 2; ++i)
        body += str_cat("<a href=\"/study/", off + i, "/some-title/\">study</a> ");
    site.page(off == 0 ? "/trials" : str_cat("/trials?offset=", off),
              body + "<a href=\"/about\">about</a>");
    for (int i = 0; i < 2 && off < 50; ++i)
      site.page(str_cat("/study/", off + i, "/some-title/"), "x");
  }
  // A sitemap index naming a nested index and a plain sitemap; the nested index names a
  // gzipped sitemap.
  site.page("/sitemap.xml",
            "<sitemapindex><sitemap><loc>/sm/nested.xml</loc></sitemap>"
            "<sitemap><loc>/sm/plain.xml</loc></sitemap></sitemapindex>");
  site.page("/sm/nested.xml",
            "<sitemapindex><sitemap><loc>/sm/part-1.xml.gz</loc></sitemap></sitemapindex>");
  site.page("/sm/part-1.xml.gz",
            gzip_bytes("<urlset><url><loc>/p/a</loc></url><url><loc>/p/b</loc></url></urlset>"));
  site.page("/sm/plain.xml", "<urlset><url><loc>/p/c</loc></url></urlset>");
  for (const char* p : {"/p/a", "/p/b", "/p/c"}) site.page(p, "page");

  TempDir dir;
  std::vector<ManifestLine> lines;
  FetchSummary summary =
      fetch_all(config_json(R"({"name": "a", "format": "aggregator-meddatax", "base_url": "{base}",
                      "discovery": "listing", "discovery_url": "{base}/list",
                      "lookup_url": "{base}/show/{nct_id}"},
                     {"name": "b", "format": "auto", "base_url": "{base}", "discovery": "listing",
                      "discovery_url": "{base}/trials", "detail_links": "/study/",
                      "pagination": {"param": "offset", "start": 10, "step": 10}},
                     {"name": "s", "format": "veeva", "base_url": "{base}", "discovery": "sitemap",
                      "discovery_url": "{base}/sitemap.xml"})"),
                site.base(), dir / "archive", &lines);
  CHECK(summary.failed == 0);
  auto counts = site.hit_counts();
  for (const auto& [path, n] : counts) CHECK_MESSAGE(n == 1, path, " asked ", n, " times");
  for (int p = 1; p <= 5; ++p) CHECK(counts.count(p == 1 ? "/list" : str_cat("/list?page=", p)));
  for (int i = 1; i <= 10; ++i) CHECK(counts.count("/show/" + nct(i)));
  for (int off = 0; off <= 50; off += 10)
    CHECK(counts.count(off == 0 ? "/trials" : str_cat("/trials?offset=", off)));
  CHECK(!counts.count("/trials?offset=60"));
  CHECK(!counts.count("/about"));  // not a detail link
  for (const char* p : {"/sitemap.xml", "/sm/nested.xml", "/sm/part-1.xml.gz", "/sm/plain.xml",
                        "/p/a", "/p/b", "/p/c"})
    CHECK_MESSAGE(counts.count(p), p);
  CHECK(summary.sources.at("a").listed_nct_ids.size() == 10);
  CHECK(summary.sources.at("b").listed_urls.size() == 10);
  CHECK(summary.sources.at("s").listed_urls.size() == 3);
  for (const char* s : {"a", "b", "s"}) CHECK_MESSAGE(summary.sources.at(s).discovery_complete, s);
  CHECK(lines.size() == 23);

  // A bound cuts the listing off and says discovery was not complete.
  TempDir dir2;
  FetchSummary cut =
      fetch_all(config_json(R"({"name": "a", "format": "aggregator-meddatax", "base_url": "{base}",
                      "discovery": "listing", "discovery_url": "{base}/list", "max_pages": 3,
                      "lookup_url": "{base}/show/{nct_id}"})"),
                site.base(), dir2 / "archive");
  CHECK(!cut.sources.at("a").discovery_complete);
  CHECK(cut.sources.at("a").listed_nct_ids.size() == 6);
}

TEST_CASE("crawl: a listing that legitimately empties is not a failure") {
  Site site;
  site.page("/robots.txt", "");
  site.page("/list", "<p>No trials are recruiting at the moment.</p>");
  TempDir dir;
  FetchSummary summary =
      fetch_all(config_json(R"({"name": "a", "format": "aggregator-meddatax", "base_url": "{base}",
                      "discovery": "listing", "discovery_url": "{base}/list",
                      "lookup_url": "{base}/show/{nct_id}"})"),
                site.base(), dir / "archive");
  CHECK(summary.failed == 0);
  CHECK(summary.sources.at("a").discovery_complete);
  CHECK(summary.sources.at("a").listed_nct_ids.empty());
}

TEST_CASE("crawl: the gap between two requests to a host with Crawl-delay: 2 is never under 2 s") {
  Site site;
  site.page("/robots.txt", "User-agent: *\nCrawl-delay: 2\n");
  site.page("/sitemap.xml",
            "<urlset><url><loc>/p/a</loc></url><url><loc>/p/b</loc></url></urlset>");
  site.page("/p/a", "a");
  site.page("/p/b", "b");
  TempDir dir;
  // The config asks for 50 requests/s, 4 at a time: the site's own rule must win.
  FetchSummary summary = fetch_all(
      config_json(R"({"name": "s", "format": "veeva", "base_url": "{base}", "discovery": "sitemap",
                      "discovery_url": "{base}/sitemap.xml"})"),
      site.base(), dir / "archive");
  CHECK(summary.failed == 0);
  auto hits = site.hits();
  REQUIRE(hits.size() == 4);  // robots.txt, the sitemap, two pages
  std::sort(hits.begin(), hits.end(),
            [](const auto& x, const auto& y) { return x.second < y.second; });
  for (size_t i = 1; i < hits.size(); ++i) {
    auto gap =
        std::chrono::duration_cast<std::chrono::milliseconds>(hits[i].second - hits[i - 1].second);
    MESSAGE(hits[i - 1].first, " -> ", hits[i].first, ": ", gap.count(), " ms");
    CHECK(gap >= std::chrono::milliseconds(2000));
  }
}

TEST_CASE("crawl: a site with no parser of its own (format auto) is crawled into records") {
  RegistryCopy registry;
  REQUIRE(!registry.base.empty());
  TempDir dir;
  CommandResult r =
      run_tool("trialmill",
               {"nightly", "--config", (source_dir() / "config" / "offline.json").string(),
                "--base", registry.base, "--db", (dir / "t.db").string(), "--source", "generic"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  SQLite::Database db((dir / "t.db").string(), SQLite::OPEN_READONLY);
  // Read from the page: its title, status, phase and sponsor, under the generic reader's format.
  CHECK(rows(db, "SELECT nct_id, format, url FROM sources") ==
        std::vector<std::string>{str_cat("NCT04433169|aggregator-generic|", registry.base,
                                         "/generic/trials/atra-adenoid-cystic-carcinoma.html")});
  CHECK(rows(db, "SELECT brief_title, overall_status FROM trials") ==
        std::vector<std::string>{"All-trans Retinoic Acid (ATRA) in the Treatment of "
                                 "Recurrent/Metastatic Adenoid Cystic Carcinoma of the Head and "
                                 "Neck|UNKNOWN"});
}

TEST_CASE(
    "crawl: the removal sweep marks a trial the API no longer returns, and unmarks it when it "
    "returns") {
  RegistryCopy registry;
  REQUIRE(!registry.base.empty());
  TempDir dir;
  auto nightly = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"nightly",
                                     "--config",
                                     (source_dir() / "config" / "offline.json").string(),
                                     "--base",
                                     registry.base,
                                     "--db",
                                     (dir / "t.db").string(),
                                     "--source",
                                     "ctgov"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool("trialmill", args);
  };
  // Per trial: has a ctgov record of it vanished, is it withdrawn from source. (An incremental
  // run's API pages have other URLs, so a trial can have several ctgov source records.)
  auto state = [&] {
    SQLite::Database db((dir / "t.db").string(), SQLite::OPEN_READONLY);
    return rows(db,
                "SELECT t.nct_id, EXISTS (SELECT 1 FROM sources s WHERE s.nct_id = t.nct_id AND "
                "s.vanished_at IS NOT NULL), t.withdrawn_from_source_at IS NOT NULL "
                "FROM trials t ORDER BY 1");
  };
  CommandResult first = nightly({});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(state() ==
        std::vector<std::string>{"NCT03792542|0|0", "NCT04433169|0|0", "NCT05549466|0|0"});

  // The registry drops NCT05549466 (its API page empties). The run is incremental (--since), so
  // the listing proves nothing about removals: only the sweep by ID can find it gone.
  const fs::path page2 = registry.root / "api" / "v2" / "studies" / "page-2.json";
  const std::string saved = read_text(page2);
  write_text(page2, R"({"studies": []})");
  CommandResult second = nightly({"--since", "2020-01-01", "--force"});
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("1 trials no longer found by ID") != std::string::npos);
  CHECK(state() ==
        std::vector<std::string>{"NCT03792542|0|0", "NCT04433169|0|0", "NCT05549466|1|1"});
  {
    SQLite::Database db((dir / "t.db").string(), SQLite::OPEN_READONLY);
    CHECK(rows(db, "SELECT count(*) FROM trials") ==
          std::vector<std::string>{"3"});  // never deleted
    CHECK(rows(db, "SELECT nct_id FROM trial_changes WHERE field = 'withdrawn_from_source_at'") ==
          std::vector<std::string>{"NCT05549466"});
  }

  // It returns: the sweep finds it again and the mark goes.
  write_text(page2, saved);
  CommandResult third = nightly({"--since", "2020-01-01", "--force"});
  INFO(third.err);
  CHECK(third.exit_code == 0);
  CHECK(state() ==
        std::vector<std::string>{"NCT03792542|0|0", "NCT04433169|0|0", "NCT05549466|0|0"});
}

TEST_CASE(
    "crawl: a live config with the placeholder contact is refused; the dry run fetches nothing") {
  TempDir dir;
  const std::string live = (source_dir() / "config" / "live.json").string();
  CommandResult refused =
      run_tool("trialmill", {"nightly", "--config", live, "--db", (dir / "t.db").string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("placeholder contact") != std::string::npos);
  CHECK(refused.err.find("user_agent") != std::string::npos);
  CHECK(!fs::exists(dir / "t.db"));  // refused before anything was opened or asked
  CommandResult fetch_refused =
      run_tool("trialmill-fetch", {"--config", live, "--archive", (dir / "a").string()});
  CHECK(fetch_refused.exit_code == 2);
  CHECK(fetch_refused.err.find("placeholder contact") != std::string::npos);

  // The same config with a real contact is accepted as far as a dry run goes.
  CommandResult plan = run_tool("trialmill", {"nightly", "--dry-run", "--config", live});
  INFO(plan.err);
  CHECK(plan.exit_code == 0);
  for (const char* start :
       {"https://clinicaltrials.gov/api/v2/studies?format=json&pageSize=1000",
        "https://ctv.veeva.com/sitemap.xml", "https://meddatax.com/clinical-trials",
        "https://trialx.com/clinical-trials/", "/clinical-trials/listings/"})
    CHECK_MESSAGE(plan.out.find(start) != std::string::npos, start);
  CHECK(plan.out.find("https://clinicaltrials.gov:443  [ctgov]") != std::string::npos);
  CHECK(plan.out.find("1 request/s") != std::string::npos);
  CHECK(plan.out.find("1 request every 2 s") != std::string::npos);
  CHECK(plan.out.find("Expected duration:") != std::string::npos);
  CHECK(plan.out.find("placeholder contact") != std::string::npos);
}
