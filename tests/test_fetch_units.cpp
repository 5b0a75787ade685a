// The fetch stage's pure parts: config, command line, robots.txt, discovery, retry policy,
// URLs, the raw archive and the manifest line. The network side is in test_fetch.cpp.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/fetch/archive.hpp"
#include "trialmill/fetch/discovery.hpp"
#include "trialmill/fetch/fetch_command.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/manifest.hpp"
#include "trialmill/fetch/retry_policy.hpp"
#include "trialmill/fetch/robots.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

const char* kMinimalConfig = R"json({
  "user_agent": "trialmill-test (mailto:test@example.org)",
  "http": {"rate": 5, "concurrency": 3, "timeout_ms": 1500},
  "sources": [
    {"name": "ctgov", "format": "ctgov-v2-json", "base_url": "{base}", "discovery": "ctgov-api",
     "discovery_url": "{base}/api/v2/studies", "lookup_url": "{base}/api/v2/studies/{nct_id}",
     "page_size": 50, "rate": 2},
    {"name": "veeva", "format": "veeva", "base_url": "https://ctv.veeva.com", "discovery": "sitemap",
     "discovery_url": "https://ctv.veeva.com/sitemap.xml"}
  ]
})json";

}  // namespace

TEST_CASE("fetch config: defaults, per-source overrides and {base}") {
  FetchConfig config =
      parse_fetch_config(kMinimalConfig, "test", std::string("http://127.0.0.1:9"));
  REQUIRE(config.sources.size() == 2);
  const SourceConfig& ctgov = config.sources[0];
  CHECK(ctgov.discovery == Discovery::ctgov_api);
  CHECK(ctgov.discovery_url == "http://127.0.0.1:9/api/v2/studies");
  CHECK(*ctgov.lookup_url == "http://127.0.0.1:9/api/v2/studies/{nct_id}");
  CHECK(ctgov.page_size == 50);
  CHECK(ctgov.http.rate == 2);
  CHECK(ctgov.http.concurrency == 3);
  CHECK(ctgov.http.timeout_ms == 1500);
  const SourceConfig& veeva = config.sources[1];
  CHECK(veeva.http.rate == 5);
  CHECK_FALSE(veeva.lookup_url);
  CHECK(config.find_source("veeva") == &veeva);
}

TEST_CASE("fetch config: mistakes are usage errors naming the problem") {
  CHECK_THROWS_AS(parse_fetch_config(kMinimalConfig, "test", std::nullopt), UsageError);  // {base}
  CHECK_THROWS_WITH_AS(parse_fetch_config(R"({"user_agent":"x","sources":[]})", "t", std::nullopt),
                       doctest::Contains("contact"), UsageError);
  std::string bad_format = R"({"user_agent":"a@b","sources":[{"name":"x","format":"nope",
    "base_url":"https://a.org","discovery":"sitemap","discovery_url":"https://a.org/s.xml"}]})";
  CHECK_THROWS_WITH_AS(parse_fetch_config(bad_format, "t", std::nullopt),
                       doctest::Contains("unknown format"), UsageError);
  std::string bad_lookup = R"({"user_agent":"a@b","sources":[{"name":"x","format":"veeva",
    "base_url":"https://a.org","discovery":"sitemap","discovery_url":"https://a.org/s.xml",
    "lookup_url":"https://a.org/study"}]})";
  CHECK_THROWS_WITH_AS(parse_fetch_config(bad_lookup, "t", std::nullopt),
                       doctest::Contains("{nct_id}"), UsageError);
  std::string bad_rate =
      R"({"user_agent":"a@b","http":{"rate":0},"sources":[{"name":"x","format":"veeva",
    "base_url":"https://a.org","discovery":"sitemap","discovery_url":"https://a.org/s.xml"}]})";
  CHECK_THROWS_AS(parse_fetch_config(bad_rate, "t", std::nullopt), UsageError);
  std::string ftp = R"({"user_agent":"a@b","sources":[{"name":"x","format":"veeva",
    "base_url":"ftp://a.org","discovery":"sitemap","discovery_url":"https://a.org/s.xml"}]})";
  CHECK_THROWS_AS(parse_fetch_config(ftp, "t", std::nullopt), UsageError);
  CHECK_THROWS_AS(parse_fetch_config("{not json", "t", std::nullopt), UsageError);
}

TEST_CASE("fetch config: the shipped configs load") {
  FetchConfig live =
      load_fetch_config((source_dir() / "config" / "live.json").string(), std::nullopt);
  CHECK(live.find_source("ctgov"));
  CHECK(live.find_source("veeva"));
  CHECK(live.find_source("meddatax"));
  CHECK(live.find_source("trialx"));
  CHECK(live.find_source("ctgov")->discovery_url == "https://clinicaltrials.gov/api/v2/studies");
  FetchConfig offline = load_fetch_config((source_dir() / "config" / "offline.json").string(),
                                          std::string("http://127.0.0.1:1"));
  CHECK(offline.sources.size() == 6);
  CHECK_THROWS_AS(
      load_fetch_config((source_dir() / "config" / "offline.json").string(), std::nullopt),
      UsageError);
  CHECK_THROWS_AS(select_sources(offline, {"nope"}), UsageError);
  CHECK(select_sources(offline, {"veeva", "trialx"}).size() == 2);
}

TEST_CASE("fetch command line: options, validation and help") {
  auto o = parse_options(declare_fetch_options, {"--config", "c.json", "--source", "a", "--source=b",
                                     "--archive", "arc", "--since", "2026-01-31", "--nct",
                                     "nct01234567,NCT07654321", "--base", "http://127.0.0.1:5/"});
  CHECK(o.config_path == "c.json");
  CHECK(o.sources == std::vector<std::string>{"a", "b"});
  CHECK(o.archive_dir == "arc");
  CHECK(*o.since == "2026-01-31");
  CHECK(o.nct_ids == std::vector<std::string>{"NCT01234567", "NCT07654321"});
  CHECK(*o.base == "http://127.0.0.1:5");
  CHECK(parse_options(declare_fetch_options, {"--config", "c"}).archive_dir == "archive");
  CHECK_THROWS_AS(parse_options(declare_fetch_options, {}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_fetch_options, {"--config", "c", "--since", "2026-13-01"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_fetch_options, {"--config", "c", "--since", "yesterday"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_fetch_options, {"--config", "c", "--nct", "NCT123"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_fetch_options, {"--config", "c", "--nct", "../../etc/passwd"}),
                  UsageError);
  CHECK_THROWS_AS(parse_options(declare_fetch_options, {"--config", "c", "extra"}), UsageError);
  CHECK(command_help(fetch_command(), "trialmill-fetch").find("Exit status:") != std::string::npos);
}

TEST_CASE("fetch robots.txt: groups, prefixes, longest match") {
  auto rules = RobotsRules::parse(
      "User-agent: *\nDisallow: /private/\nAllow: /private/ok\n\n"
      "User-agent: otherbot\nDisallow: /\n");
  CHECK(rules.allowed("/study/NCT01234567"));
  CHECK_FALSE(rules.allowed("/private/x"));
  CHECK(rules.allowed("/private/ok.txt"));
  auto mine = RobotsRules::parse(
      "User-agent: *\nDisallow: /\n\nUser-agent: trialmill\nDisallow: /search\n");
  CHECK(mine.allowed("/study/1"));  // the trialmill group replaces the * group
  CHECK_FALSE(mine.allowed("/search?q=1"));
  CHECK(RobotsRules::parse("User-agent: *\nDisallow:\n").allowed("/anything"));
  CHECK_FALSE(RobotsRules::disallow_all().allowed("/"));
  CHECK(RobotsRules::parse("# nothing\n").allowed("/x"));
}

TEST_CASE("fetch discovery: sitemaps, sitemap indexes and lastmod") {
  Sitemap map = parse_sitemap(
      "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<url><loc>https://ctv.veeva.com/study/a?x=1&amp;y=2</loc><lastmod>2026-11-01</lastmod></url>"
      "<url><loc><![CDATA[https://ctv.veeva.com/study/b]]></loc></url>"
      "<url><lastmod>2026-01-01</lastmod></url></urlset>");
  CHECK_FALSE(map.is_index);
  REQUIRE(map.entries.size() == 2);
  CHECK(map.entries[0].loc == "https://ctv.veeva.com/study/a?x=1&y=2");
  CHECK(*map.entries[0].lastmod == "2026-11-01");
  CHECK(map.entries[1].loc == "https://ctv.veeva.com/study/b");
  CHECK_FALSE(map.entries[1].lastmod);
  Sitemap index = parse_sitemap(
      "<sm:sitemapindex "
      "xmlns:sm=\"x\"><sm:sitemap><sm:loc>https://a.org/s1.xml</sm:loc></sm:sitemap>"
      "</sm:sitemapindex>");
  CHECK(index.is_index);
  REQUIRE(index.entries.size() == 1);
  CHECK(index.entries[0].loc == "https://a.org/s1.xml");
  CHECK(on_or_after("2026-11-01", "2026-10-31"));
  CHECK(on_or_after("2026-10-31T23:00:00Z", "2026-10-31"));
  CHECK_FALSE(on_or_after("2026-10-30", "2026-10-31"));
  CHECK(on_or_after("2026-10", "2026-10-31"));  // month precision: may be in range, keep it
  CHECK(parse_sitemap("garbage").entries.empty());
}

TEST_CASE("fetch discovery: listing IDs are validated and de-duplicated") {
  auto ids = listing_nct_ids(
      "<a href='/study/NCT01234567'>NCT01234567</a> nct07654321 "
      "NCT012345678 NCT0123 <a href='NCT01234567'>");
  CHECK(ids == std::vector<std::string>{"NCT01234567", "NCT07654321"});
  CHECK(lookup_url_for("https://a.org/t/{nct_id}", "NCT01234567") == "https://a.org/t/NCT01234567");
  CHECK_THROWS_AS(lookup_url_for("https://a.org/t/{nct_id}", "NCT0123/../x"), Error);
}

TEST_CASE("fetch discovery: ClinicalTrials.gov API pages and their URLs") {
  auto page = parse_ctgov_page(
      R"({"studies":[{"protocolSection":{"identificationModule":{"nctId":"NCT01234567"}}},
                     {"protocolSection":{"identificationModule":{"nctId":"bad"}}}, 3],
          "nextPageToken":"abc=="})");
  CHECK(page.nct_ids == std::vector<std::string>{"NCT01234567"});
  CHECK(*page.next_page_token == "abc==");
  CHECK_FALSE(parse_ctgov_page(R"({"studies":[]})").next_page_token);
  CHECK_THROWS_AS(parse_ctgov_page(R"({"x":1})"), Error);
  CHECK_THROWS_AS(parse_ctgov_page("<html>"), Error);
  CHECK(ctgov_page_url("https://clinicaltrials.gov/api/v2/studies", 100, std::nullopt,
                       std::nullopt) ==
        "https://clinicaltrials.gov/api/v2/studies?format=json&pageSize=100");
  CHECK(ctgov_page_url("https://h/api/v2/studies", 10, std::string("2026-11-01"),
                       std::string("a b+")) ==
        "https://h/api/v2/studies?format=json&pageSize=10"
        "&filter.advanced=AREA%5BLastUpdatePostDate%5DRANGE%5B2026-11-01%2CMAX%5D&pageToken=a%20b%2B");
}

TEST_CASE("fetch retry policy: what is retried, Retry-After, backoff with jitter") {
  CHECK(is_retryable_curl_code(CURLE_OPERATION_TIMEDOUT));
  CHECK(is_retryable_curl_code(CURLE_GOT_NOTHING));
  CHECK(is_retryable_curl_code(CURLE_PARTIAL_FILE));
  CHECK_FALSE(is_retryable_curl_code(CURLE_WRITE_ERROR));
  CHECK(is_retryable_status(429));
  CHECK(is_retryable_status(503));
  CHECK_FALSE(is_retryable_status(404));
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(*parse_retry_after("120", now) == std::chrono::seconds(120));
  CHECK(*parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now) == std::chrono::seconds(10));
  CHECK(*parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now) == std::chrono::milliseconds(0));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("-5", now));
  HttpSettings http;
  http.backoff_base_ms = 100;
  http.backoff_max_ms = 1000;
  std::mt19937 rng(42);
  for (int attempt = 1; attempt <= 8; ++attempt) {
    long step = std::min(1000L, 100L << (attempt - 1));
    auto d = backoff_delay(http, attempt, rng).count();
    CHECK(d >= step / 2);
    CHECK(d <= step);
  }
}

TEST_CASE("fetch URLs: origins and resolution") {
  CHECK(url_origin("https://CTV.veeva.com/study/x") == "https://ctv.veeva.com:443");
  CHECK(url_origin("http://127.0.0.1:8080/a?b") == "http://127.0.0.1:8080");
  CHECK_THROWS_AS(url_origin("not a url"), Error);
  auto u = parse_url("https://a.org/p/q?x=1");
  REQUIRE(u);
  CHECK(u->path == "/p/q?x=1");
  CHECK(*resolve_url("https://a.org/veeva/sitemap.xml", "study/x.txt") ==
        "https://a.org/veeva/study/x.txt");
  CHECK(*resolve_url("https://a.org/x/", "https://b.org/y") == "https://b.org/y");
  CHECK(*resolve_url("https://a.org/x/", "/root") == "https://a.org/root");
  CHECK(url_encode_component("a b/[]") == "a%20b%2F%5B%5D");
}

TEST_CASE("fetch archive: content-addressed blobs and an index that survives reopening") {
  TempDir dir;
  std::string arc = (dir / "archive").string();
  std::string sha;
  {
    Archive archive(arc);
    sha = archive.store("page one");
    CHECK(sha == sha256_hex("page one"));
    CHECK(archive.blob_path(sha) ==
          (std::filesystem::path(arc) / sha.substr(0, 2) / sha.substr(2, 2) / sha).string());
    CHECK(read_text(archive.blob_path(sha)) == "page one");
    CHECK(archive.store("page one") == sha);  // stored once
    archive.record(
        {"https://a.org/1", sha, std::string("\"e1\""), std::nullopt, "2026-11-22T00:00:00Z"});
    archive.record({"https://a.org/2", std::string(64, 'f'), std::nullopt, std::nullopt,
                    "2026-11-22T00:00:00Z"});
  }
  write_text(dir / "archive" / "index.jsonl",
             read_text(dir / "archive" / "index.jsonl") + "{\"url\":\"torn");
  Archive again(arc);
  const ArchiveEntry* e = again.find("https://a.org/1");
  REQUIRE(e);
  CHECK(e->sha256 == sha);
  CHECK(*e->etag == "\"e1\"");
  CHECK_FALSE(e->last_modified);
  CHECK_FALSE(again.find("https://a.org/2"));  // its blob is missing: no conditional request
  CHECK_FALSE(again.find("https://a.org/3"));
  CHECK_THROWS_AS(again.blob_path("../../etc/passwd"), Error);
}

TEST_CASE("fetch manifest: the contract's fields, nulls where unknown") {
  ManifestLine line{"https://a.org/1",
                    "veeva",
                    "archive/ab/cd/x",
                    "abc",
                    304,
                    "2026-11-22T00:00:00Z",
                    std::string("\"e\""),
                    std::nullopt,
                    std::string("NCT01234567"),
                    "veeva-site"};
  JsonDocument doc = parse_json(manifest_json(line), "line");
  CHECK_FALSE(doc.HasMember("source"));  // in process only: not part of the contract's line
  for (const char* key : {"url", "format", "path", "sha256", "http_status", "fetched_at", "etag",
                          "last_modified", "nct_id"})
    CHECK_MESSAGE(doc.HasMember(key), key);
  CHECK(doc["http_status"].GetInt() == 304);
  CHECK(doc["last_modified"].IsNull());
  CHECK(std::string(doc["nct_id"].GetString()) == "NCT01234567");
}
