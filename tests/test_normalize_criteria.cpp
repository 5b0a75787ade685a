// Criteria splitting on the seed pages' own criteria text.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support.hpp"
#include "trialmill/normalize/criteria.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

// The lines strictly between the line equal to `from` and the line equal to `to`, as a parser
// hands them on (indentation and markers kept, joined with "\n").
std::string cut(const std::string& page, const std::string& from, const std::string& to) {
  size_t start = page.find("\n" + from + "\n");
  REQUIRE(start != std::string::npos);
  start += from.size() + 2;
  size_t end = page.find("\n" + to + "\n", start);
  REQUIRE(end != std::string::npos);
  return page.substr(start, end - start);
}

std::string page(const char* name) { return read_text(fixtures_dir() / "pages" / name); }

}  // namespace

TEST_CASE("normalize: criteria of the Veeva seed NCT04433169 (run-together and sub-lists)") {
  std::string text = page("veeva_NCT04433169.txt");
  auto inclusion = split_criteria(cut(text, "Inclusion criteria", "Exclusion criteria"));
  REQUIRE(inclusion.size() == 9);
  CHECK(inclusion[0] == "Age ≥ 18 years, male or female;");
  CHECK(inclusion[1] == "ECOG PS (performance status) score: 0-1;");
  CHECK(inclusion[2].starts_with("Pathologically or histologically confirmed"));
  CHECK(inclusion[2].ends_with("meeting RECIST 1.1 criteria);"));
  CHECK(inclusion[3] == "Patients with therapeutic indications;");
  CHECK(inclusion[4] == "Main organ functions normal, i.e., meeting the criteria below:");
  CHECK(inclusion[5] ==
        "Criteria for routine blood test: (no blood transfusion within 14 days)\n"
        "1. HB ≥ 90 g/L;\n"
        "2. WBC ≥ 3.5 × 109/L and < 10 × 109/L;\n"
        "3. ANC ≥ 1.5 × 109/L;\n"
        "4. PLT ≥ 80 × 109/L");
  CHECK(inclusion[6] ==
        "Criteria for biochemical tests:\n"
        "1. BIL < 1.25 × upper limit of normal (ULN)\n"
        "2. ALT and AST < 2.5 × ULN; in the presence of metastases to liver, ALT and AST < 5 × ULN;\n"
        "3. Serum Cr ≤ 1 × ULN, endogenous creatinine clearance > 50 mL/min (Cockcroft-Gault "
        "equation);");
  CHECK(inclusion[7] == "Subjects who volunteer to participate in this study, sign the informed "
                        "consent, have good compliance and cooperate in follow-up;");
  CHECK(inclusion[8] ==
        "Patients who, in the doctor's opinion, can benefit from the treatment.");

  auto exclusion = split_criteria(cut(text, "Exclusion criteria", "Trial design"));
  REQUIRE(exclusion.size() == 9);
  CHECK(exclusion[0].starts_with("Previous or existing concomitant malignancies"));
  CHECK(exclusion[5] == "Pregnant or lactating women;");
  CHECK(exclusion[8].ends_with("as judged by the investigator."));
}

TEST_CASE("normalize: criteria of the Veeva seed NCT05549466 (circled sub-items stay inside)") {
  std::string text = page("veeva_NCT05549466.txt");
  auto inclusion = split_criteria(cut(text, "Inclusion criteria", "Exclusion criteria"));
  REQUIRE(inclusion.size() == 10);
  CHECK(inclusion[0] == "Male or female; 18-70 years of age;");
  CHECK(inclusion[9] == "Able to understand and sign an informed consent form (ICF).");
  auto exclusion = split_criteria(cut(text, "Exclusion criteria", "Trial design"));
  REQUIRE(exclusion.size() == 18);
  CHECK(exclusion[5].find("① Patients with recurrent stage T3-4") != std::string::npos);
  CHECK(exclusion[5].find("② Patients with recurrent T1-2") != std::string::npos);
  CHECK(exclusion[17] == "Patients considered unsuitable for inclusion.");
}

TEST_CASE("normalize: criteria of the ClinicalTrials.gov seed (bullets, inline 1)…2))") {
  std::string text = page("ctgov_NCT03792542.txt");
  auto inclusion = split_criteria(cut(text, "Inclusion Criteria:", "Exclusion Criteria:"));
  REQUIRE(inclusion.size() == 8);
  CHECK(inclusion[0] == "Signed the informed consent form prior to patient entry;");
  CHECK(inclusion[1] ==
        "≥ 18 and ≤ 70 years of age , regardless of gender;ECOG :0-2;Expected Survival Time: "
        "Over 3 months;");
  auto exclusion =
      split_criteria(cut(text, "Exclusion Criteria:", "Information from the National Library of Medicine"));
  REQUIRE(exclusion.size() == 22);  // 22 "•" bullets on the page
  CHECK(exclusion[0] == "Appropriate and willing for cytotoxic chemotherapy.");
  CHECK(exclusion[8].starts_with("with any severe and/or uncontrolled disease, including:1)"));
  CHECK(exclusion[8].find("7)Patients with seizures and need treatment") != std::string::npos);
  CHECK(exclusion[9].starts_with("Abnormal coagulation"));
  CHECK(exclusion[21].starts_with("The investigator believes"));
}

TEST_CASE("normalize: criteria of the meddatax seed ((1)/(2) kept inside)") {
  std::string text = page("meddatax_NCT06158412.txt");
  auto inclusion = split_criteria(cut(text, "Inclusion Criteria", "Exclusion Criteria"));
  REQUIRE(inclusion.size() == 6);
  CHECK(inclusion[0] == "Age ≥ 18 years.");
  CHECK(inclusion[1].starts_with("Subjects must have a diagnosis of multiple myeloma"));
  CHECK(inclusion[1].find("(2) Measurable disease is defined") != std::string::npos);
  CHECK(inclusion[2].find("(1) Relapse is defined") != std::string::npos);
  CHECK(inclusion[5].starts_with("The patient/legal guardian"));
  std::string excl_block = cut(text, "Exclusion Criteria", "Eligible Sex");
  excl_block = excl_block.substr(0, excl_block.find("\nMinimum Eligible Age"));
  auto exclusion = split_criteria(excl_block);
  REQUIRE(exclusion.size() == 17);
  CHECK(exclusion[3].starts_with("Subjects have received antimyeloma therapy"));
  CHECK(exclusion[6].find("(2) Subjects who have had moderate") != std::string::npos);
  CHECK(exclusion[16] == "Peripheral neuritis ≥ grade 3.");
}

TEST_CASE("normalize: criteria of the trialx seed") {
  std::string text = page("trialx_NCT06935188.txt");
  auto inclusion = split_criteria(cut(text, "Inclusion Criteria:", "Exclusion Criteria:"));
  REQUIRE(inclusion.size() == 8);
  CHECK(inclusion[0] == "Age 18-75 years, both sexes.");
  auto exclusion = split_criteria(cut(text, "Exclusion Criteria:", "Study details"));
  REQUIRE(exclusion.size() == 15);
  CHECK(exclusion[14] == "Patients with a history of other malignancies within five years.");
}

namespace {

struct SplitRow {
  const char* block;
  std::vector<std::string> expected;
};

const SplitRow kSplitRows[] = {
    {"1. a; 2. b; 3. c", {"a;", "b;", "c"}},
    {"1. first\n2. second", {"first", "second"}},
    {"1) first\n2) second", {"first", "second"}},
    {"(1) first\n(2) second", {"first", "second"}},
    {"• one\n• two\n• three", {"one", "two", "three"}},
    {"- one\n- two", {"one", "two"}},
    {"* one\n* two", {"one", "two"}},
    {"① one\n② two", {"one", "two"}},
    {"1. item\n   continued here\n2. next", {"item\ncontinued here", "next"}},
    {"  1. parent:\n    a. sub one\n    b. sub two\n  2. next",
     {"parent:\na. sub one\nb. sub two", "next"}},
    {"  • parent\n      ◦ child\n  • other", {"parent\n◦ child", "other"}},
    {"1. score of 0, 1, or 2. Patients over 18", {"score of 0, 1, or 2. Patients over 18"}},
    {"4. Hb ≥ 90; 6. not a run", {"Hb ≥ 90; 6. not a run"}},
    {"1. Dose 1.5 mg; 2. Age", {"Dose 1.5 mg;", "Age"}},
    {"Patients aged 18 or over\nSigned consent", {"Patients aged 18 or over", "Signed consent"}},
    {"", {}},
};

}  // namespace

TEST_CASE("normalize: criteria splitting rules") {
  for (const auto& row : kSplitRows) {
    std::string block = row.block;
    CAPTURE(block);
    auto got = split_criteria(block);
    std::string shown;
    for (const auto& g : got) shown += "[" + g + "]";
    CAPTURE(shown);
    CHECK(got == row.expected);
  }
}

TEST_CASE("normalize: eligibility text cut at its headings") {
  auto s = split_eligibility_sections(
      "Inclusion Criteria:\n\n  • Age ≥ 18\n  • Consent\n\nExclusion Criteria:\n\n  • Pregnancy");
  REQUIRE(s.inclusion.has_value());
  REQUIRE(s.exclusion.has_value());
  CHECK(split_criteria(*s.inclusion) == std::vector<std::string>{"Age ≥ 18", "Consent"});
  CHECK(split_criteria(*s.exclusion) == std::vector<std::string>{"Pregnancy"});

  auto combined = split_eligibility_sections("Inclusion and exclusion criteria\n1. Adults\n2. No HIV");
  REQUIRE(combined.inclusion.has_value());
  CHECK_FALSE(combined.exclusion.has_value());
  CHECK(split_criteria(*combined.inclusion) == std::vector<std::string>{"Adults", "No HIV"});

  auto inline_heading = split_eligibility_sections("Inclusion Criteria: - Adults\nExclusion criteria: - Children");
  CHECK(inline_heading.inclusion == std::optional<std::string>("- Adults"));
  CHECK(inline_heading.exclusion == std::optional<std::string>("- Children"));

  auto none = split_eligibility_sections("Adults with asthma.");
  CHECK_FALSE(none.inclusion.has_value());
  CHECK_FALSE(none.exclusion.has_value());

  // The Veeva seed's whole eligibility block gives the same 9 + 9 entries.
  std::string text = page("veeva_NCT04433169.txt");
  std::string whole = "Inclusion criteria\n" + cut(text, "Inclusion criteria", "Trial design");
  auto veeva = split_eligibility_sections(whole);
  REQUIRE(veeva.inclusion.has_value());
  REQUIRE(veeva.exclusion.has_value());
  CHECK(split_criteria(*veeva.inclusion).size() == 9);
  CHECK(split_criteria(*veeva.exclusion).size() == 9);
}
