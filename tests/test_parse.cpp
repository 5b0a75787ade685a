// The parse stage: line streams, format detection, extraction of raw values, bad pages.
#include <doctest/doctest.h>

#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/parse/format_detect.hpp"
#include "trialmill/parse/page_lines.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/parse/parse_command.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

PageInput named(const std::string& name) {
  PageInput input;
  input.name = name;
  return input;
}

JsonDocument parse_fixture(const std::string& name) {
  auto records = parse_page(read_text(fixtures_dir() / "pages" / name), named(name));
  REQUIRE(records.size() == 1);
  return std::move(records.front());
}

std::string str(const JsonValue& record, const char* field) { return get_string_or(record, field, "<null>"); }

}  // namespace

TEST_CASE("parse: text lines keep indentation and paragraph breaks") {
  auto lines = lines_from_text("Title\n\n  1. first\n    1. sub\r\n\tTabbed  text \n");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "Title");
  CHECK(lines[1].text == "1. first");
  CHECK(lines[1].indent == 2);
  CHECK(lines[1].blank_before);
  CHECK(lines[2].indent == 4);
  CHECK_FALSE(lines[2].blank_before);
  CHECK(lines[3].text == "Tabbed text");
  CHECK(lines[3].indent == 4);
}

TEST_CASE("parse: HTML reduces to the same lines as its text") {
  const char* html = R"(<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>
    <nav>Menu</nav><script>var a = "<p>not text</p>";</script>
    <h2>Inclusion criteria</h2>
    <ol><li>Age &ge; 18 years</li><li>Criteria for routine blood test:<ol><li>HB &ge; 90 g/L;</li></ol></li></ol>
    <table><tr><th>Study Type :</th><td>Interventional</td></tr></table>
    <p>Line one<br>Line&nbsp;two</p></body></html>)";
  auto lines = lines_from_html(html);
  std::vector<std::string> texts;
  for (const auto& l : lines) texts.push_back(l.text);
  std::vector<std::string> expected = {"Inclusion criteria", "1. Age ≥ 18 years", "2. Criteria for routine blood test:",
                                       "1. HB ≥ 90 g/L;", "Study Type : Interventional", "Line one", "Line two"};
  CHECK(texts == expected);
  REQUIRE(lines.size() == expected.size());
  CHECK(lines[1].indent == 2);
  CHECK(lines[3].indent == 4);
  CHECK(lines[4].indent == 0);
}

TEST_CASE("parse: deeply nested HTML is refused quickly, moderately nested HTML is read") {
  std::string hostile;
  for (int i = 0; i < 200000; ++i) hostile += "<div>";
  hostile += "deep";
  CHECK_THROWS_WITH_AS(lines_from_html(hostile), doctest::Contains("nested too deeply"), Error);
  std::string nested;
  for (int i = 0; i < 1000; ++i) nested += "<div>";
  nested += "deep<br/><img src=x><!-- <div><div> --><script>'<div><div>'</script>";
  auto lines = lines_from_html(nested);  // deeper than the walker goes: the text is skipped, no crash
  CHECK(lines.size() <= 1);
}

TEST_CASE("parse: each seed layout is detected from its content") {
  struct Case {
    const char* file;
    const char* format;
  };
  for (auto c : {Case{"veeva_NCT04433169.txt", "veeva"}, Case{"veeva_NCT05549466.txt", "veeva"},
                 Case{"ctgov_NCT03792542.txt", "ctgov-html"}, Case{"meddatax_NCT06158412.txt", "aggregator-meddatax"},
                 Case{"trialx_NCT06935188.txt", "aggregator-trialx"}}) {
    CAPTURE(c.file);
    PageView page(lines_from_text(read_text(fixtures_dir() / "pages" / c.file)));
    auto format = detect_format(page);
    REQUIRE(format.has_value());
    CHECK(*format == c.format);
  }
  CHECK(format_from_url("https://ctv.veeva.com/study/x") == std::optional<std::string>("veeva"));
  CHECK(detect_form("  {\"studies\":[]}") == PageForm::json);
  CHECK(detect_form("<!DOCTYPE html><html>") == PageForm::html);
  CHECK(detect_form("Plain text") == PageForm::text);
}

TEST_CASE("parse: Veeva seed raw values") {
  auto r = parse_fixture("veeva_NCT04433169.txt");
  CHECK(str(r, "nct_id") == "NCT04433169");
  CHECK(str(r, "acronym") == "Aplus");
  CHECK(str(r, "brief_title").find("(Aplus)") == std::string::npos);
  CHECK(str(r, "org_study_id") == "2020HNRT02");
  CHECK(str(r, "overall_status") == "Unknown");
  CHECK(str(r, "phases") == "Phase 2");
  CHECK(str(r, "masking") == "None (Open label)");
  CHECK(str(r, "minimum_age") == "18+ years old");
  CHECK(str(r["enrollment"], "count") == "30 estimated patients");
  CHECK(str(r["lead_sponsor"], "name") == "Shanghai Jiao Tong University");
  CHECK(str(r["lead_sponsor"], "class") == "Other");
  REQUIRE(r["arms"].Size() == 2);
  CHECK(str(r["arms"][1], "label") == "Control group");
  CHECK(str(r["arms"][1], "type") == "Active Comparator group");
  CHECK(r["arms"][1]["intervention_names"].Size() == 2);
  CHECK(r["interventions"].Size() == 3);
  CHECK(str(r["central_contacts"][0], "name") == "Guopei Zhu, M.D");
  CHECK(str(r, "inclusion_criteria").rfind("  1. Age ≥ 18 years", 0) == 0);
  CHECK(str(r["source"], "format") == "veeva");
  CHECK(str(r["source"], "sha256").size() == 64);
  CHECK(r["parse_warnings"].Empty());
}

TEST_CASE("parse: ClinicalTrials.gov seed raw values") {
  auto r = parse_fixture("ctgov_NCT03792542.txt");
  CHECK(str(r, "nct_id") == "NCT03792542");
  CHECK(str(r, "overall_status") == "Not yet recruiting");
  CHECK(str(r, "first_posted") == "January 3, 2019");
  CHECK(str(r, "last_verified") == "December 2018");
  CHECK(str(r["enrollment"], "count") == "44 participants");
  CHECK(str(r["enrollment"], "type") == "Estimated");
  CHECK(str(r["start_date"], "date") == "January 2019");
  CHECK(str(r["start_date"], "type") == "Estimated");
  CHECK(str(r, "phases") == "Phase 2");
  CHECK(str(r, "allocation") == "<null>");
  CHECK(std::string(r["conditions"][0].GetString()) == "Soft Tissue Sarcoma");
  CHECK(str(r["interventions"][0], "name") == "Drug: Anlotinib");
  CHECK(std::string(r["interventions"][0]["other_names"][0].GetString()) == "AL3818");
  CHECK(str(r["arms"][0], "type") == "Experimental");
  CHECK(r["secondary_outcomes"].Size() == 4);
  CHECK(str(r["primary_outcomes"][0], "time_frame") == "until Progressive Disease(PD) or death(up to 24 months)");
  CHECK(str(r["lead_sponsor"], "name") == "Second Affiliated Hospital, School of Medicine, Zhejiang University");
  CHECK(r["collaborators"].Size() == 6);
  REQUIRE(r["overall_officials"].Size() == 1);
  CHECK(str(r["overall_officials"][0], "name") == "Zhaoming Ye, professor");
  CHECK(str(r["overall_officials"][0], "affiliation") == "Second Affiliated Hospital, School of Medicine, Zhejiang University");
  REQUIRE(r["locations"].Size() == 1);
  CHECK(str(r["locations"][0], "city") == "Hangzhou");
  CHECK(str(r["locations"][0], "status") == "Not yet recruiting");
  CHECK(str(r["locations"][0]["contacts"][0], "phone") == "0086 13606501549");
  CHECK(str(r["central_contacts"][0], "name") == "Zhaoming Ye, professor");
  CHECK(r["mesh_terms"].Size() == 2);
}

TEST_CASE("parse: meddatax and trialx seed raw values") {
  auto m = parse_fixture("meddatax_NCT06158412.txt");
  CHECK(str(m, "nct_id") == "NCT06158412");
  CHECK(str(m, "has_results") == "Results pending");
  CHECK(str(m, "intervention_model") == "SINGLE_GROUP");
  CHECK(str(m["responsible_party"], "type") == "PRINCIPAL_INVESTIGATOR");
  CHECK(str(m["interventions"][0], "type") == "DRUG");
  CHECK(str(m["arms"][0], "type") == "EXPERIMENTAL");
  CHECK(std::string(m["related_nct_ids"][0].GetString()) == "NCT02751255");
  CHECK(str(m, "org_study_id") == "XMDYYYXYK-08");
  CHECK(m["locations"][0]["contacts"].Size() == 2);

  auto t = parse_fixture("trialx_NCT06935188.txt");
  CHECK(str(t, "nct_id") == "NCT06935188");
  CHECK(str(t, "overall_status") == "Recruiting");
  CHECK(str(t, "minimum_age") == "18-75 years");
  CHECK(str(t, "sex") == "All");
  CHECK(str(t["lead_sponsor"], "name") == "Shanghai Ninth People's Hospital Affiliated to Shanghai Jiao Tong University");
  CHECK(t["parse_warnings"].Size() == 1);  // the unlabelled date is reported, not assigned
}

TEST_CASE("parse: bad pages are errors with a reason") {
  auto reason = [](const std::string& bytes) {
    try {
      parse_page(bytes, named("test"));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(reason("") == "empty page");
  CHECK(reason("  \n\n ") == "empty page");
  CHECK(reason(std::string("PK\x03\x04\0\0binary", 12)) == "binary content, not a page");
  CHECK(reason("Working...") == "interstitial page (loading screen), no study content");
  CHECK(reason("Just some text\nwith no registry layout") == "unrecognised page format");
  std::string veeva = read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt");
  CHECK(reason(replace_all(veeva, "NCT04433169", "")) == "no NCT ID found on the veeva page");
}

TEST_CASE("parse: a truncated page gives the fields before the cut and a warning") {
  std::string veeva = read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt");
  auto records = parse_page(veeva.substr(0, 1500), named("cut"));
  REQUIRE(records.size() == 1);
  auto& r = records.front();
  CHECK(str(r, "nct_id") == "NCT04433169");
  CHECK(str(r, "masking") == "<null>");
  CHECK(r["arms"].Empty());
  CHECK(r["parse_warnings"].Size() == 1);
}

TEST_CASE("parse: command line") {
  auto o = parse_options(declare_parse_options, {"--format", "veeva", "a.txt", "b.txt"});
  CHECK(o.files.size() == 2);
  CHECK(o.format == std::optional<std::string>("veeva"));
  CHECK_THROWS_AS(parse_options(declare_parse_options, {"--format", "nope"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_parse_options, {"--url", "http://x", "a", "b"}), UsageError);
  CHECK_THROWS_AS(parse_options(declare_parse_options, {"--frobnicate"}), UsageError);
  CHECK(command_help(parse_command(), "trialmill-parse").find("  -u, --url URL") != std::string::npos);
}
