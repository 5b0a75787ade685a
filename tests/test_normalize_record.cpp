// Whole-record normalization and the trialmill-normalize command.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/record_model.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// Shaped like the parse stage's output for the Veeva seed NCT05549466.
const char* kVeevaRecord = R"J({"nct_id":"nct05549466","brief_title":"Anlotinib  Plus\nPD-1 in NPC",
"official_title":null,"acronym":null,"org_study_id":"2022-FXY-100","secondary_ids":["2022-FXY-100","NCT05549466","X-1"],
"overall_status":"Enrolling","phases":"Phase 2","study_type":"Interventional  (Clinical Trial)",
"brief_summary":"s","detailed_description":null,"conditions":["NPC"],"keywords":[],"mesh_terms":[],
"enrollment":{"count":"84 estimated patients","type":null},"allocation":"N/A",
"intervention_model":"Single Group Assignment","masking":"None (Open label)","primary_purpose":"Treatment",
"arms":[{"label":"Arm A","type":"Experimental","description":"d","intervention_names":["Drug: Anlotinib","Drug: Toripalimab"]},
        {"label":"Arm B","type":"Control group","description":null,"intervention_names":[]}],
"interventions":[{"type":null,"name":"Drug: Anlotinib","description":null,"other_names":[]},
                 {"type":"Drug","name":"Toripalimab","description":null,"other_names":[]},
                 {"type":null,"name":"Drug: Anlotinib","description":"12 mg qd","other_names":["AL3818"]}],
"primary_outcomes":[{"measure":"ORR","time_frame":"2 years","description":null}],"secondary_outcomes":[],
"sex":"All","minimum_age":"18 to 70 years old","maximum_age":"18 to 70 years old",
"healthy_volunteers":"No Healthy Volunteers","eligibility_criteria":null,
"inclusion_criteria":"  1. Male or female; 18-70 years of age;\n  2. ECOG performance status of 0 or 1.",
"exclusion_criteria":"  1. Previous treatment over 2 lines.",
"start_date":{"date":"September 2022","type":"Actual"},"primary_completion_date":{"date":"Dec 2024","type":"Anticipated"},
"completion_date":{"date":"2025","type":null},"first_posted":"September 23, 2022","last_update_posted":"2023-01-05",
"last_verified":"January 2023","lead_sponsor":{"name":"Sun Yat-sen University","class":"Other"},
"collaborators":[{"name":"Novartis ( Novartis Pharmaceuticals )","class":"Industry"}],
"responsible_party":{"type":"Principal Investigator","name":"Ming-Yuan Chen, MD","affiliation":"SYSU"},
"overall_officials":[{"name":"Zhaoming Ye, professor","role":"Principal Investigator","affiliation":null}],
"central_contacts":[{"name":"Rui You, PhD; Ming-Yuan Chen, MD, PhD","role":null,"phone":null,"email":null}],
"locations":[{"facility":"Sun Yat-sen University Cancer Center","city":"Guangzhou","state":"Guangdong","zip":null,
  "country":"China","status":"Recruiting","contacts":[{"name":"Zhaoming Ye, M.D.    0086 13606501549","role":null,"phone":null,"email":null}]}],
"has_results":"No Results Posted","related_nct_ids":["NCT04433169","nct05549466"],
"source":{"format":"veeva","url":null,"fetched_at":null,"sha256":"abc"},"parse_warnings":["w"]})J";

JsonDocument normalize_text(const std::string& text) {
  JsonDocument in = parse_json(text, "test");
  return normalize_record(in);
}

std::string s(const JsonValue& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

}  // namespace

TEST_CASE("normalize: a seed-shaped record becomes a valid trial record") {
  JsonDocument r = normalize_text(kVeevaRecord);
  auto problems = validate_trial_record(r);
  for (const auto& p : problems) CAPTURE(p);
  CHECK(problems.empty());

  // Every contract field, in order, then the extra members.
  auto it = r.MemberBegin();
  for (const FieldSpec& spec : trial_fields()) {
    REQUIRE(it != r.MemberEnd());
    CHECK(std::string(it->name.GetString()) == spec.name);
    ++it;
  }
  for (const char* extra : {"eligibility_thresholds", "source", "parse_warnings", "raw", "normalize_warnings"}) {
    REQUIRE(it != r.MemberEnd());
    CHECK(std::string(it->name.GetString()) == extra);
    ++it;
  }

  CHECK(s(r["nct_id"]) == "NCT05549466");
  CHECK(s(r["brief_title"]) == "Anlotinib Plus PD-1 in NPC");
  CHECK(r["secondary_ids"].Size() == 1);
  CHECK(s(r["secondary_ids"][0]) == "X-1");
  CHECK(s(r["overall_status"]) == "RECRUITING");
  CHECK(s(r["phases"][0]) == "PHASE2");
  CHECK(s(r["study_type"]) == "INTERVENTIONAL");
  CHECK(r["enrollment"]["count"].GetInt64() == 84);
  CHECK(s(r["enrollment"]["type"]) == "ESTIMATED");
  CHECK(s(r["allocation"]) == "NA");
  CHECK(s(r["intervention_model"]) == "SINGLE_GROUP");
  CHECK(s(r["masking"]) == "NONE");
  CHECK(s(r["arms"][0]["type"]) == "EXPERIMENTAL");
  CHECK(s(r["arms"][0]["intervention_names"][0]) == "Drug: Anlotinib");
  CHECK(r["arms"][1]["type"].IsNull());
  REQUIRE(r["interventions"].Size() == 2);
  CHECK(s(r["interventions"][0]["type"]) == "DRUG");
  CHECK(s(r["interventions"][0]["name"]) == "Anlotinib");
  CHECK(s(r["interventions"][0]["description"]) == "12 mg qd");
  CHECK(s(r["interventions"][0]["other_names"][0]) == "AL3818");
  CHECK(s(r["interventions"][1]["name"]) == "Toripalimab");
  CHECK(r["minimum_age"]["value"].GetDouble() == 18);
  CHECK(r["maximum_age"]["value"].GetDouble() == 70);
  CHECK(r["min_age_years"].GetDouble() == 18);
  CHECK(r["max_age_years"].GetDouble() == 70);
  CHECK(r["healthy_volunteers"].IsFalse());
  CHECK(r["inclusion_criteria"].Size() == 2);
  CHECK(s(r["inclusion_criteria"][0]) == "Male or female; 18-70 years of age;");
  CHECK(r["exclusion_criteria"].Size() == 1);
  CHECK(s(r["start_date"]["date"]) == "2022-09");
  CHECK(s(r["start_date"]["type"]) == "ACTUAL");
  CHECK(s(r["primary_completion_date"]["date"]) == "2024-12");
  CHECK(s(r["primary_completion_date"]["type"]) == "ESTIMATED");
  CHECK(s(r["completion_date"]["date"]) == "2025");
  CHECK(r["completion_date"]["type"].IsNull());
  CHECK(s(r["first_posted"]) == "2022-09-23");
  CHECK(s(r["last_verified"]) == "2023-01");
  CHECK(s(r["lead_sponsor"]["class"]) == "OTHER");
  CHECK(s(r["collaborators"][0]["name"]) == "Novartis");
  CHECK(s(r["collaborators"][0]["class"]) == "INDUSTRY");
  CHECK(s(r["responsible_party"]["type"]) == "PRINCIPAL_INVESTIGATOR");
  CHECK(s(r["responsible_party"]["name"]) == "Ming-Yuan Chen");
  CHECK(s(r["overall_officials"][0]["name"]) == "Zhaoming Ye");
  CHECK(s(r["overall_officials"][0]["role"]) == "PRINCIPAL_INVESTIGATOR");
  REQUIRE(r["central_contacts"].Size() == 2);
  CHECK(s(r["central_contacts"][0]["name"]) == "Rui You");
  CHECK(s(r["central_contacts"][1]["name"]) == "Ming-Yuan Chen");
  CHECK(s(r["locations"][0]["status"]) == "RECRUITING");
  CHECK(s(r["locations"][0]["contacts"][0]["name"]) == "Zhaoming Ye");
  CHECK(s(r["locations"][0]["contacts"][0]["phone"]) == "0086 13606501549");
  CHECK(r["has_results"].IsFalse());
  REQUIRE(r["related_nct_ids"].Size() == 1);
  CHECK(s(r["related_nct_ids"][0]) == "NCT04433169");
  CHECK(s(r["source"]["format"]) == "veeva");
  CHECK(s(r["parse_warnings"][0]) == "w");

  const JsonValue& raw = r["raw"];
  CHECK(s(raw["overall_status"]) == "Enrolling");
  CHECK(s(raw["minimum_age"]) == "18 to 70 years old");
  CHECK(s(raw["arms[1].type"]) == "Control group");
  CHECK(s(raw["central_contacts[0].name"]) == "Rui You, PhD; Ming-Yuan Chen, MD, PhD");
  CHECK(s(raw["lead_sponsor.class"]) == "Other");
  CHECK(s(raw["collaborators[0].name"]) == "Novartis ( Novartis Pharmaceuticals )");
  CHECK(s(raw["interventions[0].name"]) == "Drug: Anlotinib");

  // "Control group" is the only raw value that matches no rule.
  const JsonValue& warnings = r["normalize_warnings"];
  REQUIRE(warnings.Size() == 1);
  CHECK(s(warnings[0]["field"]) == "arms[1].type");
  CHECK(s(warnings[0]["raw"]) == "Control group");
  CHECK(warnings[0]["message"].IsString());
}

TEST_CASE("normalize: unmapped values give null and a warning each") {
  JsonDocument r = normalize_text(R"J({"nct_id":"NCT00000001","overall_status":"Recruiting soon",
    "phases":"Pilot","minimum_age":"Adults","start_date":{"date":"soon","type":"Actual"},
    "enrollment":{"count":"many","type":null},"sex":"Unspecified","has_results":"maybe",
    "source":{"format":"veeva"}})J");
  CHECK(validate_trial_record(r).empty());
  CHECK(r["overall_status"].IsNull());
  CHECK(r["phases"].Size() == 0);
  CHECK(r["minimum_age"].IsNull());
  CHECK(r["min_age_years"].IsNull());
  CHECK(r["start_date"].IsNull());
  CHECK(r["enrollment"].IsNull());
  CHECK(r["sex"].IsNull());
  CHECK(r["has_results"].IsNull());
  std::vector<std::string> fields;
  for (const auto& w : r["normalize_warnings"].GetArray()) fields.push_back(s(w["field"]));
  CHECK(fields == std::vector<std::string>{"overall_status", "phases", "enrollment", "sex",
                                           "minimum_age", "start_date", "has_results"});
  CHECK(s(r["raw"]["phases"]) == "Pilot");
}

TEST_CASE("normalize: N/A ages and absent fields give null without warnings") {
  JsonDocument r = normalize_text(R"J({"nct_id":"NCT00000002","minimum_age":"N/A","maximum_age":"No limit",
    "has_results":true,"healthy_volunteers":"Accepts Healthy Volunteers","phases":["PHASE1","PHASE2"],
    "eligibility_criteria":"Inclusion Criteria:\n  • Adults\nExclusion Criteria:\n  • Children\n  • Pregnancy",
    "source":{"format":"ctgov-v2-json"}})J");
  CHECK(validate_trial_record(r).empty());
  CHECK(r["minimum_age"].IsNull());
  CHECK(r["maximum_age"].IsNull());
  CHECK(r["has_results"].IsTrue());
  CHECK(r["healthy_volunteers"].IsTrue());
  CHECK(r["phases"].Size() == 2);
  CHECK(r["normalize_warnings"].Size() == 0);
  CHECK(r["inclusion_criteria"].Size() == 1);
  CHECK(r["exclusion_criteria"].Size() == 2);
  CHECK(s(r["eligibility_criteria"]).find("\n  • Children") != std::string::npos);
  CHECK(r["arms"].IsArray());
  CHECK(r["lead_sponsor"].IsNull());
}

TEST_CASE("normalize: wrong JSON types never crash") {
  JsonDocument r = normalize_text(R"J({"nct_id":"NCT00000003","brief_title":42,"overall_status":7,
    "phases":{"a":1},"conditions":"not a list","arms":[3,{"type":["x"]}],"interventions":{},
    "enrollment":{"count":true},"minimum_age":18,"start_date":"2020-01","lead_sponsor":"X",
    "central_contacts":[{"name":5}],"locations":[{"status":null,"contacts":"none"}],
    "related_nct_ids":[1,"bad"],"inclusion_criteria":12,"source":{"format":"veeva"}})J");
  CHECK(validate_trial_record(r).empty());
  CHECK(r["brief_title"].IsNull());
  CHECK(r["overall_status"].IsNull());
  CHECK(r["conditions"].Size() == 0);
  CHECK(r["arms"].Size() == 1);
  CHECK(r["minimum_age"].IsNull());
  CHECK(s(r["start_date"]["date"]) == "2020-01");
  CHECK(r["lead_sponsor"].IsNull());
  CHECK(r["normalize_warnings"].Size() >= 10);
}

TEST_CASE("normalize: a record without a valid NCT ID is rejected") {
  CHECK_THROWS_WITH_AS(normalize_text(R"J({"brief_title":"x"})J"), "no NCT ID", Error);
  CHECK_THROWS_WITH_AS(normalize_text(R"J({"nct_id":"NCT123"})J"), "no NCT ID", Error);
  CHECK_THROWS_WITH_AS(normalize_text(R"J({"nct_id":12345678})J"), "no NCT ID", Error);
  CHECK_THROWS_AS(normalize_text("[1,2]"), Error);
}

TEST_CASE("normalize: command writes records, reports bad lines and exits 1") {
  std::string input = std::string(R"J({"nct_id":"NCT04433169","overall_status":"Unknown","source":{"format":"veeva"}})J") +
                      "\n{not json\n" + R"J({"brief_title":"no id"})J" + "\n" +
                      R"J({"nct_id":"NCT03792542","arms":[{"type":"Control group"}],"source":{"format":"ctgov-html"}})J" + "\n";
  CommandResult res = run_tool("trialmill-normalize", {}, input);
  CHECK(res.exit_code == 1);
  CHECK(res.out.find("\"nct_id\":\"NCT04433169\"") != std::string::npos);
  CHECK(res.out.find("\"nct_id\":\"NCT03792542\"") != std::string::npos);
  CHECK(std::count(res.out.begin(), res.out.end(), '\n') == 2);
  CHECK(res.err.find("stdin:2") != std::string::npos);
  CHECK(res.err.find("stdin:3") != std::string::npos);
  CHECK(res.err.find("no NCT ID") != std::string::npos);
  // The unmapped arm type is logged with the NCT ID, the field and the raw value.
  CHECK(res.err.find("NCT03792542") != std::string::npos);
  CHECK(res.err.find("arms[0].type") != std::string::npos);
  CHECK(res.err.find("Control group") != std::string::npos);
}

TEST_CASE("normalize: command exit codes, files, --help and --version") {
  CommandResult ok = run_tool("trialmill-normalize", {},
                              R"J({"nct_id":"NCT04433169","source":{"format":"veeva"}})J" "\n");
  CHECK(ok.exit_code == 0);
  JsonDocument line = parse_json(ok.out.substr(0, ok.out.find('\n')), "out");
  CHECK(validate_trial_record(line).empty());

  CommandResult bad = run_tool("trialmill-normalize", {"--no-such-option"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--no-such-option") != std::string::npos);

  CommandResult help = run_tool("trialmill-normalize", {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Exit status:") != std::string::npos);
  CHECK(help.out.find("--log-format") != std::string::npos);

  CommandResult version = run_tool("trialmill-normalize", {"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("trialmill-normalize") != std::string::npos);

  TempDir dir;
  write_text(dir / "in.jsonl", "\n{\"nct_id\":\"NCT04433169\",\"source\":{\"format\":\"veeva\"}}\n[broken\n");
  CommandResult file = run_tool("trialmill-normalize", {(dir / "in.jsonl").string()});
  CHECK(file.exit_code == 1);
  CHECK(file.out.find("NCT04433169") != std::string::npos);
  CHECK(file.err.find("in.jsonl:3") != std::string::npos);

  CommandResult quiet = run_tool("trialmill-normalize", {"--quiet"},
                                 R"J({"nct_id":"NCT04433169","sex":"??","source":{"format":"veeva"}})J" "\n");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());

  CommandResult json_log = run_tool("trialmill-normalize", {"--log-format", "json"}, "oops\n");
  CHECK(json_log.exit_code == 1);
  CHECK(json_log.err.find("{") == 0);
}
