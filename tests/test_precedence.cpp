// The source precedence: parsing, ranks, the database's own order, and a merge under it.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/error.hpp"
#include "trialmill/store/merge.hpp"
#include "trialmill/store/precedence.hpp"
#include "trialmill/store/schema.hpp"

using namespace trialmill;
using namespace trialmill::test;

TEST_CASE("precedence: patterns, ranks and malformed lists") {
  const SourcePrecedence& standard = SourcePrecedence::standard();
  CHECK(standard.to_list() == "ctgov-v2-json, ctgov-html, veeva, aggregator-*");
  CHECK(standard.rank("ctgov-v2-json") == 0);
  CHECK(standard.rank("aggregator-trialx") == 3);
  CHECK(standard.rank("aggregator-generic") == 3);
  CHECK(standard.rank("euctr-html") == 4);  // unknown formats after every pattern

  SourcePrecedence custom = SourcePrecedence::parse_list(" veeva,ctgov-v2-json , aggregator-meddatax,aggregator-*");
  CHECK(custom.patterns() == std::vector<std::string>{"veeva", "ctgov-v2-json", "aggregator-meddatax", "aggregator-*"});
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
