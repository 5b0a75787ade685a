// Pages without an NCT ID resolved against a small hand-written database of the trials they
// describe (fixtures/resolve/trials.json): by protocol number, then title, or refused with why.
#include <doctest/doctest.h>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/store/resolve.hpp"
#include "trialmill/store/store.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// The fixture's trials stored as ClinicalTrials.gov records (parsed record -> normalize -> store).
void load_fixture_trials(const fs::path& db_path) {
  JsonDocument fixture =
      parse_json(read_text(fixtures_dir() / "resolve" / "trials.json"), "trials.json");
  TrialStore store(db_path.string());
  for (const auto& t : fixture["trials"].GetArray()) {
    JsonDocument parsed;
    parsed.SetObject();
    auto& a = parsed.GetAllocator();
    for (const char* f : {"nct_id", "org_study_id", "brief_title", "official_title"})
      if (t.HasMember(f)) parsed.AddMember(JsonValue(f, a), JsonValue(t[f], a), a);
    parsed.AddMember("secondary_ids", JsonValue(t["secondary_ids"], a), a);
    JsonValue source(rapidjson::kObjectType);
    source.AddMember("format", "ctgov-v2-json", a);
    parsed.AddMember("source", source, a);
    JsonDocument normalized = normalize_record(parsed);
    REQUIRE(store.add(normalized, "trials.json") != StoreOutcome::failed);
  }
  store.commit();
}

JsonDocument record_of(const std::string& text) {
  PageInput input;
  input.name = "page";
  auto records = parse_page(text, input);
  REQUIRE(records.size() == 1);
  return normalize_record(records.front());
}

}  // namespace

TEST_CASE(
    "resolve: a page without an NCT ID becomes its trial by protocol number or title, or is "
    "refused") {
  TempDir dir;
  fs::path db_path = dir / "trials.db";
  load_fixture_trials(db_path);
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);

  // A protocol number written another way ("NRG GY018") is the stored org_study_id NRG-GY018.
  JsonDocument r = record_of(
      "Endometrial Cancer NRG GY018\nPhase III Randomized, Placebo-Controlled Study of "
      "Pembrolizumab in Endometrial "
      "Cancer\nProtocol Number: NRG GY018\nPhase: Phase III\nStatus: Recruiting\n");
  CHECK(r["nct_id"].IsNull());
  Resolution by_id = resolve_trial(db, r);
  REQUIRE(by_id.nct_id);
  CHECK(*by_id.nct_id == "NCT03914612");
  CHECK(by_id.how.find("NRG GY018") != std::string::npos);
  resolve_in_place(db, r);
  CHECK(get_string_or(r, "nct_id", "") == "NCT03914612");
  CHECK(to_json(r["normalize_warnings"]).find("resolved to NCT03914612") != std::string::npos);

  // A secondary identifier of the stored trial.
  JsonDocument secondary = record_of(
      "Combination Chemotherapy for Young Patients With Leukemia\nProtocol IDs: "
      "NCI-2011-03797\nPhase: Phase III\n"
      "Status: Active\n");
  CHECK(resolve_trial(db, secondary).nct_id.value_or("") == "NCT01406756");

  // Only a title, exact up to case and punctuation.
  JsonDocument by_title = record_of(
      "COMBINATION CHEMOTHERAPY IN TREATING YOUNG PATIENTS WITH NEWLY DIAGNOSED HIGH-RISK ACUTE "
      "LYMPHOBLASTIC "
      "LEUKEMIA\nPhase: Phase III\nStatus: Recruiting\n");
  Resolution t = resolve_trial(db, by_title);
  CHECK(t.nct_id.value_or("") == "NCT01406756");
  CHECK(t.how == "brief_title");

  // Nothing matches: refused, naming what was tried.
  JsonDocument unknown = record_of(
      "A Study of Something No One Stored Here\nProtocol Number: ZZ-9999\nPhase: Phase 2\n"
      "Status: Recruiting\n");
  Resolution none = resolve_trial(db, unknown);
  CHECK_FALSE(none.nct_id);
  CHECK(none.refusal.find("ZZ-9999") != std::string::npos);
  CHECK_THROWS_AS(resolve_in_place(db, unknown), Error);

  // Several match: refused, naming them.
  JsonDocument shared =
      record_of("A Shared Title of Two Trials\nPhase: Phase 2\nStatus: Recruiting\n");
  Resolution several = resolve_trial(db, shared);
  CHECK_FALSE(several.nct_id);
  CHECK(several.refusal.find("NCT09000001") != std::string::npos);
  CHECK(several.refusal.find("NCT09000002") != std::string::npos);
}

TEST_CASE(
    "resolve: the corpus pages without an NCT ID resolve to the trials of the test database or are "
    "refused") {
  fs::path pages = corpus_dir() / "pages-aggregators";
  if (!fs::exists(pages)) {
    MESSAGE("shared corpus not present; skipped");
    return;
  }
  TempDir dir;
  load_fixture_trials(dir / "trials.db");
  SQLite::Database db((dir / "trials.db").string(), SQLite::OPEN_READONLY);
  auto resolved = [&](const std::string& file) -> std::string {
    PageInput input;
    input.name = file;
    auto records = parse_page(read_text(pages / file), input);
    JsonDocument r = normalize_record(records.at(0));
    if (!r["nct_id"].IsNull()) return get_string_or(r, "nct_id", "");
    Resolution res = resolve_trial(db, r);
    return res.nct_id ? *res.nct_id : "refused: " + res.refusal;
  };
  // Its "Sponsor Protocol ID: NRG GY0018" (a typo) matches nothing; "NRG-GY018:" before its
  // title does.
  CHECK(resolved("umc.edu_trialid-10288-nrg-gy018.txt") == "NCT03914612");
  // A trial the database does not hold: refused, naming what was tried.
  CHECK(resolved("mayo.edu_cls-20467298.txt").rfind("refused: no stored trial matches", 0) == 0);
}

TEST_CASE("resolve: the store takes a resolved page as another source of its trial, and refuses the rest") {
  TempDir dir;
  fs::path db_path = dir / "trials.db";
  load_fixture_trials(db_path);
  TrialStore store(db_path.string());
  JsonDocument page = record_of(
      "Endometrial Cancer NRG GY018\nPhase III Randomized, Placebo-Controlled Study of Pembrolizumab in Endometrial "
      "Cancer\nProtocol Number: NRG GY018\nPhase: Phase III\nStatus: Recruiting\n");
  CHECK(store.add(page, "hospital page") != StoreOutcome::failed);
  JsonDocument unknown = record_of("A Study of Something No One Stored Here\nProtocol Number: ZZ-9999\nPhase: Phase 2\n"
                                   "Status: Recruiting\n");
  CHECK(store.add(unknown, "unknown page") == StoreOutcome::failed);
  store.commit();
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT COUNT(*) FROM trials");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() == 8);  // the fixture's trials, no new one
  SQLite::Statement s(db, "SELECT format FROM sources WHERE nct_id = 'NCT03914612' ORDER BY format");
  std::vector<std::string> formats;
  while (s.executeStep()) formats.push_back(s.getColumn(0).getString());
  CHECK(formats == std::vector<std::string>{"aggregator-generic", "ctgov-v2-json"});
}
