// The source precedence: parsing, ranks, the database's own order, a merge under it, and the
// re-merge of every trial when it changes.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/error.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/precedence.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/store/store.hpp"

using namespace trialmill;
using namespace trialmill::test;

TEST_CASE("precedence: patterns, ranks and malformed lists") {
  const SourcePrecedence& standard = SourcePrecedence::standard();
  CHECK(standard.to_list() ==
        "ctgov-v2-json, ctgov-xml, ctgov-html, veeva, aggregator-*, ctgov-archive");
  CHECK(standard.rank("ctgov-v2-json") == 0);
  CHECK(standard.rank("aggregator-trialx") == 4);
  CHECK(standard.rank("aggregator-generic") == 4);
  CHECK(standard.rank("euctr-html") == 6);  // unknown formats after every pattern
  CHECK(standard.rank("ctgov-xml") == 1);
  CHECK(standard.rank("ctgov-archive") == 5);  // a past version never outranks a current page

  SourcePrecedence custom =
      SourcePrecedence::parse_list(" veeva,ctgov-v2-json , aggregator-meddatax,aggregator-*");
  CHECK(custom.patterns() ==
        std::vector<std::string>{"veeva", "ctgov-v2-json", "aggregator-meddatax", "aggregator-*"});
  CHECK(custom.rank("veeva") == 0);
  CHECK(custom.rank("aggregator-meddatax") == 2);  // the exact pattern comes first
  CHECK(custom.rank("aggregator-trialx") == 3);
  CHECK(custom.rank("ctgov-html") == 4);

  CHECK_THROWS_AS(SourcePrecedence::parse_list(""), UsageError);
  CHECK_THROWS_AS(SourcePrecedence::parse_list("veeva, veeva"), UsageError);
  CHECK_THROWS_AS(SourcePrecedence::parse_list("Veeva"), UsageError);
  CHECK_THROWS_AS(SourcePrecedence::parse_list("*"), UsageError);
  CHECK_THROWS_AS(SourcePrecedence::parse_list("ctgov; veeva"), UsageError);
}

TEST_CASE("precedence: a database keeps its own order, and the merge follows it") {
  TempDir dir;
  SQLite::Database db = open_store_database((dir / "t.db").string());
  CHECK(load_precedence(db) == SourcePrecedence::standard());
  SourcePrecedence veeva_first = SourcePrecedence::parse_list("veeva, ctgov-v2-json, ctgov-html");
  save_precedence(db, veeva_first);
  CHECK(load_precedence(db) == veeva_first);
  db.exec("UPDATE meta SET value = '{\"not\": \"a list\"}' WHERE key = 'source_precedence'");
  CHECK_THROWS_AS(load_precedence(db), DatabaseError);

  JsonDocument api = make_record("NCT04433169", "ctgov-v2-json");
  set(api, "brief_title", R"("From the API")");
  JsonDocument page = make_record("NCT04433169", "veeva", "https://veeva/");
  set(page, "brief_title", R"("From Veeva")");
  set(page, "acronym", R"("Aplus")");
  std::vector<SourceRecord> sources = {{1, "ctgov-v2-json", "2026-01-01T00:00:00Z", &api},
                                       {2, "veeva", "2026-01-01T00:00:00Z", &page}};
  MergedTrial standard = merge_sources("NCT04433169", sources);
  CHECK(std::string(standard.record["brief_title"].GetString()) == "From the API");
  CHECK(standard.provenance.at("brief_title") == 1);
  MergedTrial custom = merge_sources("NCT04433169", sources, veeva_first);
  CHECK(std::string(custom.record["brief_title"].GetString()) == "From Veeva");
  CHECK(custom.provenance.at("brief_title") == 2);
  CHECK(custom.provenance.at("acronym") == 2);
}

TEST_CASE(
    "precedence: trialmill-store --precedence re-merges every trial, and later stores follow it") {
  TempDir dir;
  const std::string path = (dir / "t.db").string();
  JsonDocument api = make_record("NCT04433169", "ctgov-v2-json");
  set(api, "brief_title", R"("From the API")");
  JsonDocument page = make_record("NCT04433169", "veeva", "https://veeva/");
  set(page, "brief_title", R"("From Veeva")");
  set(page, "acronym", R"("Aplus")");
  JsonDocument other = make_record("NCT00000002", "ctgov-v2-json");
  set(other, "brief_title", R"("Alone")");
  {
    TrialStore store(path);
    REQUIRE(store.store_batch({{"t:1", &api}, {"t:2", &page}, {"t:3", &other}}).stored() == 3);
  }
  auto title = [&](SQLite::Database& db) {
    return db.execAndGet("SELECT brief_title FROM trials WHERE nct_id = 'NCT04433169'").getString();
  };
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    CHECK(title(db) == "From the API");
  }

  CHECK(run_tool("trialmill-store", {"--db", path, "--precedence", "Veeva, ctgov"}).exit_code == 2);
  auto set_order =
      run_tool("trialmill-store", {"--db", path, "--precedence", "veeva, ctgov-v2-json"});
  REQUIRE_MESSAGE(set_order.exit_code == 0, set_order.err);
  CHECK(set_order.err.find("source precedence: veeva, ctgov-v2-json; 1 trials changed") !=
        std::string::npos);
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    CHECK(load_precedence(db) == SourcePrecedence::parse_list("veeva, ctgov-v2-json"));
    CHECK(title(db) == "From Veeva");
    CHECK(
        rows(db, "SELECT field, old_value, new_value FROM trial_changes WHERE source_id IS NULL") ==
        std::vector<std::string>{"brief_title|\"From the API\"|\"From Veeva\""});
    CHECK(rows(db,
               "SELECT s.format FROM field_provenance p JOIN sources s ON s.id = p.source_id "
               "WHERE p.nct_id = 'NCT04433169' AND p.field = 'brief_title'") ==
          std::vector<std::string>{"veeva"});
  }
  // A new API record does not win the title any more; a second --precedence with the same
  // order changes nothing.
  set(api, "brief_title", R"("From the API, revised")");
  {
    TrialStore store(path);
    CHECK(store.add(api, "t:4") == StoreOutcome::updated);
    store.commit();
    CHECK(title(store.database()) == "From Veeva");
  }
  auto again = run_tool("trialmill-store", {"--db", path, "--precedence", "veeva, ctgov-v2-json"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.err.find("0 trials changed") != std::string::npos);
}
