// Eligibility thresholds: bounds read from the seed pages' own criteria, the phrase forms one by
// one, things that must give nothing, and input that must not crash the scanner.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"
#include "trialmill/json.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/normalize/thresholds.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/record_model.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

std::string number_text(double v) {
  std::ostringstream out;
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    out << static_cast<long long>(v);
  else
    out << v;
  return out.str();
}

// One threshold on one line: "inc[5] WBC >= 3.5 10^9/L", "inc[1] ECOG range 0..2",
// "exc[3] QTC > 450 ms sex=MALE", "inc[6] ALT < 5 x ULN if=liver metastases".
std::string describe(const Threshold& t) {
  std::string s = t.kind == CriterionKind::inclusion ? "inc[" : "exc[";
  s += std::to_string(t.criterion) + "] " + t.parameter + " " + t.comparator + " " +
       number_text(t.value);
  if (t.upper) s += ".." + number_text(*t.upper);
  if (t.unit) s += " " + *t.unit;
  if (t.sex) s += " sex=" + *t.sex;
  if (t.condition) s += " if=" + *t.condition;
  if (t.or_group) s += " or";
  return s;
}

// The same from the JSON form, so the record's field is checked value by value too.
std::string describe(const JsonValue& t) {
  auto num = [](const JsonValue& v) { return number_text(v.GetDouble()); };
  std::string s = std::string(t["kind"].GetString()) == "inclusion" ? "inc[" : "exc[";
  s += std::to_string(t["criterion"].GetUint64()) + "] " + t["parameter"].GetString() + " " +
       t["comparator"].GetString() + " " + num(t["value"]);
  if (!t["upper"].IsNull()) s += ".." + num(t["upper"]);
  if (!t["unit"].IsNull()) s += " " + std::string(t["unit"].GetString());
  if (!t["sex"].IsNull()) s += " sex=" + std::string(t["sex"].GetString());
  if (!t["condition"].IsNull()) s += " if=" + std::string(t["condition"].GetString());
  if (t.HasMember("or_group") && !t["or_group"].IsNull()) s += " or";
  return s;
}

// The bounds only: time windows are checked on their own.
std::vector<std::string> describe_all(const std::vector<Threshold>& list) {
  std::vector<std::string> out;
  for (const auto& t : list)
    if (t.form == ThresholdForm::bound) out.push_back(describe(t));
  return out;
}

std::vector<std::string> of(std::string_view criterion) {
  return describe_all(extract_thresholds(criterion));
}

// The seed page through parse and normalize: the record's eligibility_thresholds, described.
std::vector<std::string> seed_thresholds(const std::string& page) {
  PageInput input;
  input.name = page;
  auto parsed = parse_page(read_text(fixtures_dir() / "pages" / page), input);
  REQUIRE(parsed.size() == 1);
  JsonDocument record = normalize_record(parsed.front());
  const JsonValue* list = find_member(record, "eligibility_thresholds");
  REQUIRE(list != nullptr);
  REQUIRE(list->IsArray());
  std::vector<std::string> out;
  for (const auto& t : list->GetArray())
    if (std::string_view(t["form"].GetString()) == "bound") out.push_back(describe(t));
  return out;
}

void check_list(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  for (const auto& w : want) {
    CAPTURE(w);
    CHECK(std::count(got.begin(), got.end(), w) == 1);
  }
  for (const auto& g : got) {
    CAPTURE(g);
    CHECK(std::count(want.begin(), want.end(), g) == 1);
  }
}

}  // namespace

// ---- the five seed pages: every bound, hand-checked against the criteria text ----------------

TEST_CASE("thresholds: Veeva seed NCT04433169, every bound of its criteria") {
  check_list(seed_thresholds("veeva_NCT04433169.txt"),
             {
                 "inc[0] AGE >= 18 years",         // Age ≥ 18 years
                 "inc[1] ECOG range 0..1",         // ECOG PS (...) score: 0-1
                 "inc[5] HEMOGLOBIN >= 9 g/dL",    // HB ≥ 90 g/L
                 "inc[5] WBC >= 3.5 10^9/L",       // WBC ≥ 3.5 × 109/L and
                 "inc[5] WBC < 10 10^9/L",         //   < 10 × 109/L
                 "inc[5] ANC >= 1.5 10^9/L",       // ANC ≥ 1.5 × 109/L
                 "inc[5] PLATELETS >= 80 10^9/L",  // PLT ≥ 80 × 109/L
                 "inc[6] BILIRUBIN < 1.25 x ULN",  // BIL < 1.25 × upper limit ...
                 "inc[6] ALT < 2.5 x ULN",         // ALT and AST < 2.5 × ULN
                 "inc[6] AST < 2.5 x ULN",
                 "inc[6] ALT < 5 x ULN if=liver metastases",  // in the presence of metastases
                 "inc[6] AST < 5 x ULN if=liver metastases",  //   to liver, ALT and AST < 5 × ULN
                 "inc[6] CREATININE <= 1 x ULN",              // Serum Cr ≤ 1 × ULN
                 "inc[6] CREATININE_CLEARANCE > 50 mL/min",   // endogenous creatinine clearance
                 "exc[1] INR > 1.5",                          // INR>1.5
                 "exc[1] APTT > 1.5 x ULN",                   // APTT>1.5×ULN
                 "exc[3] QTC > 450 ms sex=MALE",              // (males: > 450 ms,
                 "exc[3] QTC > 470 ms sex=FEMALE",            //  females: > 470 ms)
             });
}

TEST_CASE("thresholds: Veeva seed NCT05549466, every bound of its criteria") {
  check_list(
      seed_thresholds("veeva_NCT05549466.txt"),
      {
          "inc[0] AGE range 18..70 years",              // 18-70 years of age
          "inc[2] ECOG range 0..1",                     // ECOG performance status of 0 or 1
          "inc[8] LIFE_EXPECTANCY > 2.75975 months",    // Life expectancy more than 12 weeks
          "exc[7] BLOOD_PRESSURE_SYSTOLIC > 140 mmHg",  // (systolic blood pressure > 140 mmHg/
          "exc[7] BLOOD_PRESSURE_DIASTOLIC > 90 mmHg",  //  diastolic blood pressure > 90 mmHg)
          "exc[7] QTC > 450 ms sex=MALE",               // > 450 ms in men
          "exc[7] QTC > 470 ms sex=FEMALE",             // > 470 ms in women
          "exc[13] HBV_DNA >= 1000 copies/mL",          // (quantitative detection ≥ 1000 cps/ml)
      });
}

TEST_CASE("thresholds: CT.gov seed NCT03792542, every bound of its criteria") {
  check_list(
      seed_thresholds("ctgov_NCT03792542.txt"),
      {
          "inc[1] AGE >= 18 years",  // ≥ 18 and ≤ 70 years of age
          "inc[1] AGE <= 70 years",
          "inc[1] ECOG range 0..2",                       // ECOG :0-2
          "inc[1] LIFE_EXPECTANCY > 3 months",            // Expected Survival Time: Over 3 months
          "inc[6] HEMOGLOBIN >= 8 g/dL",                  // Hemoglobin (Hb) ≥ 80g / L
          "inc[6] ANC >= 1.5 10^9/L",                     // Neutrophils (ANC) ≥ 1.5 × 109 / L
          "inc[6] PLATELETS >= 80 10^9/L",                // Platelet count (PLT) ≥ 80 × 109 / L
          "inc[6] CREATININE <= 1.5 x ULN or",            // Serum creatinine (Cr) ≤ 1.5 × ... or
          "inc[6] CREATININE_CLEARANCE >= 60 mL/min or",  // creatinine clearance (CCr) ≥ 60ml / min
          "inc[6] BUN <= 2.5 x ULN",        // Blood urea nitrogen (BUN) ≤ 2.5 × ...
          "inc[6] BILIRUBIN <= 1.5 x ULN",  // Total bilirubin (TB) ≤ 1.5 × ULN
          "inc[6] AST <= 2.5 x ULN",        // AST and ALT ≤ 2.5 × ULN
          "inc[6] ALT <= 2.5 x ULN",
          "inc[6] ALT <= 5 x ULN if=liver metastases",  // If accompanied by liver metastases
          "inc[6] AST <= 5 x ULN if=liver metastases",
          "inc[6] ALBUMIN >= 2.5 g/dL",                  // Albumin (ALB) ≥ 25 g/L
          "inc[6] LVEF >= 50 %",                         // LVEF ≥ normal low limit (50%)
          "exc[8] BLOOD_PRESSURE_SYSTOLIC >= 140 mmHg",  // systolic blood pressure ≥140 mmHg
          "exc[8] BLOOD_PRESSURE_DIASTOLIC >= 90 mmHg",  // diastolic blood pressure ≥90 mmHg
          "exc[8] QTC >= 450 ms sex=MALE",               // QTc) men ≥ 450 ms,
          "exc[8] QTC >= 470 ms sex=FEMALE",             //   women ≥ 470 ms
          "exc[8] FASTING_GLUCOSE > 180.16 mg/dL",       // fasting blood glucose > 10mmol / L
          "exc[8] HBV_DNA >= 500 IU/mL",                 // hepatitis B virus(HBV) DNA ≥ 500 IU/mL
          "exc[8] URINE_PROTEIN_24H >= 1 g/24h",         // 24-hour urine protein ≥ 1.0 g
          "exc[9] INR > 1.5",                            // INR > 1.5
          "exc[9] APTT > 1.5 x ULN",                     // (APTT) > 1.5 ULN
      });
}

TEST_CASE("thresholds: meddatax seed NCT06158412, every bound of its criteria") {
  check_list(seed_thresholds("meddatax_NCT06158412.txt"),
             {
                 "inc[0] AGE >= 18 years",                // Age ≥ 18 years.
                 "inc[1] M_PROTEIN >= 5 g/L",             // (M protein) level ≥ 5 g/L
                 "inc[1] URINE_M_PROTEIN >= 200 mg/24h",  // urinary M protein ≥ 200 mg/24 hours
                 "inc[1] FREE_LIGHT_CHAIN >= 100 mg/L",   // free light chain ≥ 100 mg/L
                 "inc[3] ECOG range 0..2",                // ECOG assessment of 0, 1, or 2.
                 "inc[4] LIFE_EXPECTANCY >= 3 months",    // Life expectancy of at least 3 months
                 "exc[5] PLATELETS < 30 10^9/L",          // platelet count \<30 x 109/L
                 "exc[5] ANC < 1 10^9/L",                 // absolute neutrophil count \<1.0 x 109/L
                 "exc[6] FEV1 < 50 % predicted",          // FEV1 \<50% of predicted normal (twice)
                 "exc[7] QTC > 470 ms",                   // (QTcF) ... \>470 ms
                 "exc[9] CREATININE_CLEARANCE < 20 mL/min",  // Creatinine clearance \<20 mL/min
             });
}

TEST_CASE("thresholds: trialx seed NCT06935188, the bounds of its criteria") {
  auto got = seed_thresholds("trialx_NCT06935188.txt");
  for (const char* want :
       {"inc[0] AGE range 18..75 years",             // Age 18-75 years
        "inc[5] ECOG range 0..1",                    // ECOG score of 0 or 1
        "inc[6] LIFE_EXPECTANCY >= 2.75975 months",  // Expected survival of ≥ 12 weeks
        "inc[7] HEMOGLOBIN >= 10 g/dL",              // hemoglobin ≥ 100 g/L
        "inc[7] WBC >= 4 10^9/L or",                 // ≥ 4.010^9/L (the × lost) or
        "inc[7] ANC >= 2 10^9/L or",                 // neutrophil count ≥ 2.010^9/L
        "inc[7] PLATELETS >= 100 10^9/L",            // platelet count ≥ 100*10^9/L
        "inc[7] BILIRUBIN <= 1.5 x ULN",             // ≤ 1.5 times the upper limit of normal
        "inc[7] AST <= 1.5 x ULN", "inc[7] ALT <= 1.5 x ULN",
        "inc[7] CREATININE < 1.5 x ULN or",             // blood creatinine level below 1.5 times
        "inc[7] CREATININE_CLEARANCE >= 60 mL/min or",  // ... or creatinine clearance ≥ 60
        "inc[7] BUN <= 200 mg/L",                       // urea nitrogen ≤ 200 mg/L
        // "if urine protein + then total 24-hour protein must be <500mg": conditional
        "inc[7] URINE_PROTEIN_24H < 0.5 g/24h if=urine protein +",
        "inc[7] FEV1 >= 2 L",  // baseline FEV1 of at least 2L
        // "if baseline FEV1 <2L then FEV1 >800ml": conditional, and "FEV1 < 2L" no bound
        "inc[7] FEV1 > 0.8 L if=baseline FEV1 <2L"}) {
    CAPTURE(want);
    CHECK(std::count(got.begin(), got.end(), want) == 1);
  }
  // "spiral CT scan ≥ 10 mm", "at least 1 cycle", "less than 2 years old": no parameter.
  for (const auto& g : got) {
    CAPTURE(g);
    CHECK(g.starts_with("inc["));
  }
}

// ---- one threshold, every member --------------------------------------------------------------

TEST_CASE("thresholds: every member of a threshold, and the JSON form") {
  auto list =
      extract_thresholds("2. WBC ≥ 3.5 × 109/L and < 10 × 109/L;", CriterionKind::exclusion, 4);
  REQUIRE(list.size() == 2);
  const Threshold& a = list[0];
  CHECK(a.kind == CriterionKind::exclusion);
  CHECK(a.criterion == 4);
  CHECK(a.parameter == "WBC");
  CHECK(a.comparator == ">=");
  CHECK(a.value == doctest::Approx(3.5));
  CHECK_FALSE(a.upper);
  CHECK(a.unit == "10^9/L");
  CHECK_FALSE(a.sex);
  CHECK_FALSE(a.condition);
  CHECK(a.text == "WBC ≥ 3.5 × 109/L and < 10 × 109/L");
  CHECK(list[1].comparator == "<");
  CHECK(list[1].value == 10);

  JsonDocument doc;
  JsonValue json = threshold_to_json(a, doc.GetAllocator());
  CHECK(to_json(json) ==
        R"({"kind":"exclusion","criterion":4,"form":"bound","parameter":"WBC","comparator":">=",)"
        R"("value":3.5,"upper":null,"unit":"10^9/L","unit_written":"10^9/L",)"
        R"("value_written":"3.5 × 109/L","sex":null,"condition":null,"or_group":null,)"
        R"("text":"WBC ≥ 3.5 × 109/L and < 10 × 109/L"})");
  auto range = extract_thresholds("Age 18-75 years");
  REQUIRE(range.size() == 1);
  CHECK(
      to_json(threshold_to_json(range[0], doc.GetAllocator())) ==
      R"({"kind":"inclusion","criterion":0,"form":"bound","parameter":"AGE","comparator":"range",)"
      R"("value":18,"upper":75,"unit":"years","unit_written":"years","value_written":"18-75 years",)"
      R"("sex":null,"condition":null,"or_group":null,"text":"Age 18-75 years"})");
  CHECK(to_json(thresholds_to_json({}, doc.GetAllocator())) == "[]");
}

TEST_CASE("thresholds: inclusion first, then exclusion, with their own indices") {
  auto list = extract_eligibility_thresholds({"Informed consent", "ECOG 0-1"},
                                             {"INR > 1.5", "None", "QTcF > 470 ms"});
  REQUIRE(list.size() == 3);
  CHECK(describe(list[0]) == "inc[1] ECOG range 0..1");
  CHECK(describe(list[1]) == "exc[0] INR > 1.5");
  CHECK(describe(list[2]) == "exc[2] QTC > 470 ms");
}

// ---- phrase forms -----------------------------------------------------------------------------

TEST_CASE("thresholds: comparators as symbols and as words") {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"Hb >= 9 g/dL", "inc[0] HEMOGLOBIN >= 9 g/dL"},
           {"Hb => 9 g/dL", "inc[0] HEMOGLOBIN >= 9 g/dL"},
           {"Hb <= 9 g/dL", "inc[0] HEMOGLOBIN <= 9 g/dL"},
           {"Hb ≦ 9 g/dL", "inc[0] HEMOGLOBIN <= 9 g/dL"},
           {"Hb = 9 g/dL", "inc[0] HEMOGLOBIN = 9 g/dL"},
           {"Hb &gt;= 9 g/dL", "inc[0] HEMOGLOBIN >= 9 g/dL"},
           {"Hb \\>9 g/dL", "inc[0] HEMOGLOBIN > 9 g/dL"},
           {"Hb at least 9 g/dL", "inc[0] HEMOGLOBIN >= 9 g/dL"},
           {"Hemoglobin greater than or equal to 9 g/dL", "inc[0] HEMOGLOBIN >= 9 g/dL"},
           {"haemoglobin no less than 90 g/L", "inc[0] HEMOGLOBIN >= 9 g/dL"},
           {"Creatinine no more than 1.5 mg/dL", "inc[0] CREATININE <= 1.5 mg/dL"},
           {"Creatinine less than or equal to 1.5 mg/dL", "inc[0] CREATININE <= 1.5 mg/dL"},
           {"Creatinine less than 1.5 mg/dL", "inc[0] CREATININE < 1.5 mg/dL"},
           {"Creatinine below 1.5 mg/dL", "inc[0] CREATININE < 1.5 mg/dL"},
           {"Creatinine above 1.5 mg/dL", "inc[0] CREATININE > 1.5 mg/dL"},
           {"Creatinine more than 1.5 mg/dL", "inc[0] CREATININE > 1.5 mg/dL"},
           {"Total bilirubin up to 1.5 x ULN", "inc[0] BILIRUBIN <= 1.5 x ULN"},
           {"Hb 9 g/dL or more", "inc[0] HEMOGLOBIN >= 9 g/dL"},
       }) {
    CAPTURE(c.text);
    CHECK(of(c.text) == std::vector<std::string>{c.want});
  }
}

TEST_CASE("thresholds: units are normalized") {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"ANC ≥ 1.5 ×10⁹/L", "inc[0] ANC >= 1.5 10^9/L"},
           {"ANC ≥ 1.5 × 10^9/L", "inc[0] ANC >= 1.5 10^9/L"},
           {"ANC ≥ 1.5*10^9/L", "inc[0] ANC >= 1.5 10^9/L"},
           {"ANC ≥ 1.5 10^9/L", "inc[0] ANC >= 1.5 10^9/L"},
           {"ANC ≥ 1.5 x 109/L", "inc[0] ANC >= 1.5 10^9/L"},
           {"ANC ≥ 1.5 X 109 / L", "inc[0] ANC >= 1.5 10^9/L"},
           {"absolute neutrophil count (ANC) of ≥ 1.0 × 10^9 /L", "inc[0] ANC >= 1 10^9/L"},
           {"ANC ≥ 1,500/mm3", "inc[0] ANC >= 1.5 10^9/L"},
           {"platelets ≥ 100,000/μL", "inc[0] PLATELETS >= 100 10^9/L"},
           {"ALT ≤ 3 x ULN", "inc[0] ALT <= 3 x ULN"},
           {"ALT ≤ 3xULN", "inc[0] ALT <= 3 x ULN"},
           {"ALT ≤ 3 ULN", "inc[0] ALT <= 3 x ULN"},
           {"ALT ≤ 3 times the upper limit of normal", "inc[0] ALT <= 3 x ULN"},
           {"ALT ≤ 3 × upper limit of normal (ULN)", "inc[0] ALT <= 3 x ULN"},
           {"ALT ≤ 3 × institutional upper limit of normal", "inc[0] ALT <= 3 x ULN"},
           {"Serum creatinine ≤ 132 µmol/L", "inc[0] CREATININE <= 1.49321 mg/dL"},
           {"Serum creatinine ≤ 132 μmol/L", "inc[0] CREATININE <= 1.49321 mg/dL"},
           {"CrCl ≥ 60 ml/min/1.73 m²", "inc[0] CREATININE_CLEARANCE >= 60 mL/min"},
           {"QTcF ≥ 480 msec", "inc[0] QTC >= 480 ms"},
           {"LVEF < 50% by ECHO", "inc[0] LVEF < 50 %"},
           {"FEV1 ≥ 80% of the predicted value", "inc[0] FEV1 >= 80 % predicted"},
           {"Subjects aged ≤ 180 days", "inc[0] AGE <= 0.492813 years"},
           {"BMI 18.5-30 kg/m²", "inc[0] BMI range 18.5..30 kg/m2"},
           {"FEV1 < 1.0 L", "inc[0] FEV1 < 1 L"},
           {"Platelet count \\>= 100,000/mm\\^3", "inc[0] PLATELETS >= 100 10^9/L"},
           {"ANC < 500 cells/mm^3", "inc[0] ANC < 0.5 10^9/L"},
           {"PLT count > 80 K/uL", "inc[0] PLATELETS > 80 10^9/L"},
           {"WBC ≥ 3 x 10^3/µL", "inc[0] WBC >= 3 10^9/L"},
           {"neutrophils <0.50x109/L", "inc[0] ANC < 0.5 10^9/L"},
           {"Hemoglobin \\>= 8 gm/dl", "inc[0] HEMOGLOBIN >= 8 g/dL"},
           {"eGFR \\< 30 mL/min/1.73m\\^2", "inc[0] GFR < 30 mL/min"},
           {"creatinine clearance ≥ 60 ml/minute", "inc[0] CREATININE_CLEARANCE >= 60 mL/min"},
           {"PSA level is < or = 10 ng/mL", "inc[0] PSA <= 10 ng/mL"},
       }) {
    CAPTURE(c.text);
    CHECK(of(c.text) == std::vector<std::string>{c.want});
  }
}

TEST_CASE("thresholds: 109 is 10^9 only after a multiplication sign") {
  CHECK(of("Hb ≥ 109 g/L") == std::vector<std::string>{"inc[0] HEMOGLOBIN >= 10.9 g/dL"});
  // No "×": the number stays, the unit is not guessed.
  CHECK(of("PLT ≥ 100 109/L") == std::vector<std::string>{"inc[0] PLATELETS >= 100"});
  CHECK(of("Platelets ≥ 109") == std::vector<std::string>{"inc[0] PLATELETS >= 109"});
}

TEST_CASE("thresholds: ECOG and Karnofsky forms") {
  for (const char* text : {"ECOG PS score: 0-1", "ECOG performance status of 0 or 1",
                           "ECOG score of 0 or 1", "ECOG 0 to 1", "ECOG 0, 1"}) {
    CAPTURE(text);
    CHECK(of(text) == std::vector<std::string>{"inc[0] ECOG range 0..1"});
  }
  CHECK(of("ECOG :0-2") == std::vector<std::string>{"inc[0] ECOG range 0..2"});
  CHECK(of("ECOG assessment of 0, 1, or 2") == std::vector<std::string>{"inc[0] ECOG range 0..2"});
  CHECK(of("Eastern Cooperative Oncology Group (ECOG) performance status ≤ 1") ==
        std::vector<std::string>{"inc[0] ECOG <= 1"});
  CHECK(of("ECOG 2") == std::vector<std::string>{"inc[0] ECOG = 2"});
  CHECK(of("Karnofsky performance status ≥ 70%") ==
        std::vector<std::string>{"inc[0] KARNOFSKY >= 70 %"});
  // Not a score: out of range, or a unit that is no score's.
  CHECK(of("ECOG performance status must be assessed within 7 days").empty());
  CHECK(of("ECOG 0 or 2").empty());
  CHECK(of("ECOG ≥ 7").empty());
}

TEST_CASE("thresholds: ages and life expectancy") {
  struct Case {
    const char* text;
    std::vector<std::string> want;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"Age ≥ 18 years", {"inc[0] AGE >= 18 years"}},
           {"18-70 years of age", {"inc[0] AGE range 18..70 years"}},
           {"≥ 18 and ≤ 70 years of age", {"inc[0] AGE >= 18 years", "inc[0] AGE <= 70 years"}},
           {"Age 18-75 years", {"inc[0] AGE range 18..75 years"}},
           {"Aged 18 to 75 years", {"inc[0] AGE range 18..75 years"}},
           {"Men or women aged between 18 and 65 years", {"inc[0] AGE range 18..65 years"}},
           {"18 years or older", {"inc[0] AGE >= 18 years"}},
           {"≥ 18 years old", {"inc[0] AGE >= 18 years"}},
           {"Life expectancy of at least 3 months", {"inc[0] LIFE_EXPECTANCY >= 3 months"}},
           {"Expected survival of ≥ 12 weeks", {"inc[0] LIFE_EXPECTANCY >= 2.75975 months"}},
           {"Life expectancy more than 12 weeks", {"inc[0] LIFE_EXPECTANCY > 2.75975 months"}},
           {"Expected Survival Time: Over 3 months", {"inc[0] LIFE_EXPECTANCY > 3 months"}},
           {"expected lifespan of < 24 hours", {"inc[0] LIFE_EXPECTANCY < 0.0328542 months"}},
           {"Patient must be > or = 40 years old", {"inc[0] AGE >= 40 years"}},
           {"Aged ≥21 to ≤50 years", {"inc[0] AGE >= 21 years", "inc[0] AGE <= 50 years"}},
           {"Cohort 2: ≥ 28 days to \\< 18 years of age",
            {"inc[0] AGE >= 0.0766598 years", "inc[0] AGE < 18 years"}},
           // An age range whose ends have different units, in one unit.
           {"Age 3 months to 17 years", {"inc[0] AGE range 0.25..17 years"}},
           // Not an age: childbearing age, the age of a specimen, a history's length.
           {"Women of childbearing age must use contraception for at least 6 months", {}},
           {"paraffin specimens less than 2 years old", {}},
           {"A history of other malignancy ≤ 5 years previous", {}},
       }) {
    CAPTURE(c.text);
    CHECK(of(c.text) == c.want);
  }
}

TEST_CASE("thresholds: one phrase naming two parameters gives one threshold each") {
  CHECK(of("ALT and AST < 2.5 × ULN") ==
        std::vector<std::string>{"inc[0] ALT < 2.5 x ULN", "inc[0] AST < 2.5 x ULN"});
  CHECK(of("AST/ALT ≤ 3 × ULN") ==
        std::vector<std::string>{"inc[0] AST <= 3 x ULN", "inc[0] ALT <= 3 x ULN"});
  CHECK(of("Aspartate aminotransferase (AST) and alanine aminotransferase (ALT) ≤ 2.5 × ULN") ==
        std::vector<std::string>{"inc[0] AST <= 2.5 x ULN", "inc[0] ALT <= 2.5 x ULN"});
  CHECK(of("Blood pressure ≥ 150/100 mmHg despite treatment") ==
        std::vector<std::string>{"inc[0] BLOOD_PRESSURE_SYSTOLIC >= 150 mmHg",
                                 "inc[0] BLOOD_PRESSURE_DIASTOLIC >= 100 mmHg"});
}

TEST_CASE("thresholds: bounds for one sex") {
  CHECK(of("QTc > 450 ms in men, > 470 ms in women") ==
        std::vector<std::string>{"inc[0] QTC > 450 ms sex=MALE", "inc[0] QTC > 470 ms sex=FEMALE"});
  CHECK(of("Hb < 10 g/dL in women or < 11 g/dL in men") ==
        std::vector<std::string>{"inc[0] HEMOGLOBIN < 10 g/dL sex=FEMALE",
                                 "inc[0] HEMOGLOBIN < 11 g/dL sex=MALE"});
  CHECK(of("Male or female; Hb ≥ 9 g/dL") ==
        std::vector<std::string>{"inc[0] HEMOGLOBIN >= 9 g/dL"});
}

TEST_CASE("thresholds: conditions") {
  CHECK(of("AST/ALT ≤ 3 × ULN (≤ 5 × ULN if liver metastases are present)") ==
        std::vector<std::string>{"inc[0] AST <= 3 x ULN", "inc[0] ALT <= 3 x ULN",
                                 "inc[0] AST <= 5 x ULN if=liver metastases",
                                 "inc[0] ALT <= 5 x ULN if=liver metastases"});
  CHECK(of("Total bilirubin ≤ 1.5 x ULN (≤ 3 x ULN for patients with Gilbert's syndrome)") ==
        std::vector<std::string>{"inc[0] BILIRUBIN <= 1.5 x ULN",
                                 "inc[0] BILIRUBIN <= 3 x ULN if=Gilbert's syndrome"});
  auto list = extract_thresholds(
      "ALT and AST < 2.5 × ULN; in the presence of metastases to liver, ALT and AST < 5 × ULN;");
  REQUIRE(list.size() == 4);
  CHECK(list[2].condition == "liver metastases");
  CHECK(list[2].text == "ALT and AST < 5 × ULN");
  // Negated or unrelated: no condition.
  CHECK(of("ALT ≤ 2.5 × ULN without liver metastases") ==
        std::vector<std::string>{"inc[0] ALT <= 2.5 x ULN"});
  CHECK(of("no liver metastases: ALT ≤ 2.5 × ULN") ==
        std::vector<std::string>{"inc[0] ALT <= 2.5 x ULN"});
}

TEST_CASE("thresholds: abbreviations that are also common words need their comparator") {
  CHECK(of("TB ≤ 1.5 × ULN") == std::vector<std::string>{"inc[0] BILIRUBIN <= 1.5 x ULN"});
  CHECK(of("Patients with active pulmonary tuberculosis (TB) receiving anti-TB treatment within 1 "
           "year")
            .empty());
  CHECK(of("PT ≤ 1.5 × ULN") == std::vector<std::string>{"inc[0] PROTHROMBIN_TIME <= 1.5 x ULN"});
  CHECK(of("prothrombin time (PT) > ULN + 4 seconds").empty());
  CHECK(of("CR or PR in 2 prior therapies").empty());
  CHECK(of("EGFR mutation positive with 2 prior lines").empty());
  CHECK(of("eGFR ≥ 45 mL/min/1.73m²") == std::vector<std::string>{"inc[0] GFR >= 45 mL/min"});
  CHECK(of("Neutrophil-to-lymphocyte ratio ≥ 3") == std::vector<std::string>{"inc[0] NLR >= 3"});
}

TEST_CASE("thresholds: numbers without a recognised parameter give nothing") {
  for (const char* text : {
           "Phase 2",
           "Phase 1/Phase 2 study started January 2, 2019 with 120 patients",
           "Study start: 2019-01-03; completion 2025",
           "RECIST 1.1; CTCAE 4.03; NCT01234567",
           "Grade ≥ 3 neuropathy within 28 days",
           "Peripheral neuritis ≥ grade 3.",
           "total bilirubin 3 times normal or transaminases 3 times normal",
           "measurable disease (≥10 mm by spiral CT scan, meeting RECIST 1.1 criteria)",
           "Refractory disease is defined as a \\<25% reduction in M protein",
           "Monoclonal plasma cells in the bone marrow in ≥10% of patients",
           "daily hemoptysis of 2.5ml or more",
           "with a > 50% chance of nasopharyngeal necrosis",
           "Previous treatment over 2 lines.",
           "platelet transfusion within 7 days",
           "ALT elevation leading to more than 2 dose delays",
           "Hemoglobin measured within 14 days before at least 2 cycles",
           "HBsAg positive and HBV DNA copy number positive",
           "Urine protein <+, or urinary protein ≥ ++",
           "",
           "   ",
       }) {
    CAPTURE(text);
    CHECK(of(text).empty());
  }
}

// ---- robustness -------------------------------------------------------------------------------

TEST_CASE("thresholds: garbage, random bytes and very long input never crash") {
  std::mt19937 rng(20261122);
  // Random bytes, including NULs, lone UTF-8 lead bytes and truncated sequences.
  for (int round = 0; round < 300; ++round) {
    std::string s(static_cast<size_t>(rng() % 400), '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xFF);
    CHECK_NOTHROW(extract_thresholds(s));
  }
  for (const char* s : {"\xE2\x89",
                        "\xE2",
                        "\xC3",
                        "≥",
                        "×",
                        "\\",
                        "\\<",
                        "10^",
                        "4.010^",
                        "1,",
                        "1.",
                        ".",
                        "ECOG 0,",
                        "ECOG 0 or",
                        "Hb ≥",
                        "Age 18-",
                        "(",
                        ")",
                        "ALT and",
                        "× 109/",
                        "99999999999999999999999999 g/L",
                        "Hb ≥ 99999999999999999999999999 g/L",
                        "Hb ≥ 1e400 g/L"}) {
    CAPTURE(s);
    CHECK_NOTHROW(extract_thresholds(s));
  }
  // Token soup from the scanner's own vocabulary.
  const std::vector<std::string> pieces = {"≥",
                                           "≤",
                                           ">",
                                           "<",
                                           "=",
                                           "\\<",
                                           "\\>",
                                           "ALT",
                                           "AST",
                                           "and",
                                           "or",
                                           "/",
                                           ",",
                                           ";",
                                           ".",
                                           "×",
                                           "x",
                                           "109",
                                           "10",
                                           "^",
                                           "9",
                                           "⁹",
                                           "L",
                                           "ULN",
                                           "(",
                                           ")",
                                           "0",
                                           "1",
                                           "-",
                                           "1.5",
                                           "ECOG",
                                           "of",
                                           "years",
                                           "age",
                                           "Age",
                                           "months",
                                           "life expectancy",
                                           "in men",
                                           "women",
                                           ":",
                                           "TB",
                                           "upper limit of normal",
                                           "times",
                                           "%",
                                           "mg/dL",
                                           "Hb",
                                           "between",
                                           "to",
                                           "older",
                                           "liver metastases",
                                           "if",
                                           "blood pressure",
                                           "140/90",
                                           "mmHg",
                                           "QTc",
                                           "ms",
                                           "at least",
                                           "no more than",
                                           "\n",
                                           "µ"};
  for (int round = 0; round < 200; ++round) {
    std::string s;
    size_t n = rng() % 300;
    for (size_t k = 0; k < n; ++k) {
      s += pieces[rng() % pieces.size()];
      if (rng() % 3) s += ' ';
    }
    std::vector<Threshold> list;
    CHECK_NOTHROW(list = extract_thresholds(s));
    for (const auto& t : list) {
      CHECK(std::isfinite(t.value));
      CHECK(t.value >= 0);
      CHECK(!t.text.empty());
      CHECK(s.find(t.text) != std::string::npos);  // the text is a real substring
    }
  }
  // Very long criteria: a few MB of repeated phrases and of one unbroken phrase. (Speed is a
  // benchmark's business, never a timed assertion; a quadratic scan would show as a hung test.)
  std::string many;
  for (int k = 0; k < 40000; ++k) many += "HB ≥ " + std::to_string(k) + " g/L; ";
  CHECK(extract_thresholds(many).size() == 40000);
  std::string unbroken;
  for (int k = 0; k < 100000; ++k) unbroken += "ALT and AST and ≥ 1 × ";
  CHECK_NOTHROW(extract_thresholds(unbroken));
  std::string words(3'000'000, 'a');
  CHECK(extract_thresholds(words).empty());
  std::string digits(3'000'000, '7');
  CHECK(extract_thresholds(digits).empty());
}

// ---- the record -------------------------------------------------------------------------------

TEST_CASE("thresholds: normalize_record emits eligibility_thresholds after the contract fields") {
  PageInput input;
  input.name = "veeva_NCT04433169.txt";
  auto parsed = parse_page(read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt"), input);
  REQUIRE(parsed.size() == 1);
  JsonDocument record = normalize_record(parsed.front());
  CHECK(validate_trial_record(record).empty());
  auto it = record.MemberBegin();
  for (size_t n = 0; n < trial_fields().size() && it != record.MemberEnd(); ++n) ++it;
  REQUIRE(it != record.MemberEnd());
  CHECK(std::string(it->name.GetString()) == "eligibility_thresholds");
  ++it;
  REQUIRE(it != record.MemberEnd());
  CHECK(std::string(it->name.GetString()) == "source");

  const JsonValue& list = record["eligibility_thresholds"];
  REQUIRE(list.IsArray());
  size_t bounds = 0, hb_at = list.Size();
  for (size_t n = 0; n < list.Size(); ++n) {
    if (std::string_view(list[n]["form"].GetString()) != "bound") continue;
    ++bounds;
    if (std::string_view(list[n]["parameter"].GetString()) == "HEMOGLOBIN") hb_at = n;
  }
  REQUIRE(bounds == 18);
  REQUIRE(hb_at < list.Size());
  const JsonValue& hb = list[hb_at];
  CHECK(std::string(hb["kind"].GetString()) == "inclusion");
  CHECK(hb["criterion"].GetUint64() == 5);
  CHECK(std::string(hb["parameter"].GetString()) == "HEMOGLOBIN");
  CHECK(std::string(hb["comparator"].GetString()) == ">=");
  CHECK(hb["value"].GetInt64() == 9);  // 90 g/L in g/dL, the parameter's canonical unit
  CHECK(hb["upper"].IsNull());
  CHECK(std::string(hb["unit"].GetString()) == "g/dL");
  CHECK(std::string(hb["unit_written"].GetString()) == "g/L");
  CHECK(std::string(hb["value_written"].GetString()) == "90 g/L");
  CHECK(hb["sex"].IsNull());
  CHECK(hb["condition"].IsNull());
  CHECK(std::string(hb["text"].GetString()) == "HB ≥ 90 g/L");
  // Each threshold's criterion index points at the criterion its text comes from.
  for (const auto& t : list.GetArray()) {
    const JsonValue& criteria =
        record[std::string(t["kind"].GetString()) == "inclusion" ? "inclusion_criteria"
                                                                 : "exclusion_criteria"];
    size_t index = t["criterion"].GetUint64();
    REQUIRE(index < criteria.Size());
    CHECK(std::string(criteria[static_cast<rapidjson::SizeType>(index)].GetString())
              .find(t["text"].GetString()) != std::string::npos);
  }
}

TEST_CASE("thresholds: a record without criteria gets an empty list") {
  JsonDocument in = parse_json(R"({"nct_id":"NCT01234567","brief_title":"t"})", "test");
  JsonDocument record = normalize_record(in);
  REQUIRE(record.HasMember("eligibility_thresholds"));
  CHECK(record["eligibility_thresholds"].IsArray());
  CHECK(record["eligibility_thresholds"].Size() == 0);
}

// ---- the forms of issue 22, one class at a time -----------------------------------------------

TEST_CASE("thresholds: seed trialx NCT06935188, the conditional FEV1 and the renal alternatives") {
  auto list = extract_eligibility_thresholds(
      {"Renal: blood creatinine level below 1.5 times the upper limit of normal or creatinine "
       "clearance ≥ 60 ml/min and urea nitrogen ≤ 200 mg/L; Pulmonary function: baseline FEV1 of "
       "at least 2L; if baseline FEV1 <2L then FEV1 >800ml expected post-surgery"},
      {});
  auto find = [&](std::string_view parameter, std::string_view cmp) -> const Threshold* {
    for (const auto& t : list)
      if (t.parameter == parameter && t.comparator == cmp) return &t;
    return nullptr;
  };
  const Threshold* creatinine = find("CREATININE", "<");
  const Threshold* clearance = find("CREATININE_CLEARANCE", ">=");
  REQUIRE(creatinine);
  REQUIRE(clearance);
  REQUIRE(creatinine->or_group);
  CHECK(creatinine->or_group == clearance->or_group);
  const Threshold* bun = find("BUN", "<=");
  REQUIRE(bun);
  CHECK(!bun->or_group);  // joined by "and": required as well
  // "baseline FEV1 of at least 2L": a plain bound; "FEV1 < 2L" is only the condition.
  const Threshold* fev1 = find("FEV1", ">=");
  REQUIRE(fev1);
  CHECK(!fev1->condition);
  CHECK(find("FEV1", "<") == nullptr);
  const Threshold* after = find("FEV1", ">");
  REQUIRE(after);
  CHECK(after->value == doctest::Approx(0.8));
  CHECK(after->unit == "L");
  CHECK(after->unit_written == "mL");
  CHECK(after->value_written == "800ml");
  REQUIRE(after->condition);
  CHECK(after->condition->find("FEV1") != std::string::npos);
}

TEST_CASE("thresholds: ages number-first, in words, and with the comparator before the name") {
  CHECK(of("Aged eighteen years or older") == std::vector<std::string>{"inc[0] AGE >= 18 years"});
  CHECK(of("Healthy volunteers over the age of 65") ==
        std::vector<std::string>{"inc[0] AGE > 65 years"});
  CHECK(of("Children 12 years and younger") == std::vector<std::string>{"inc[0] AGE <= 12 years"});
  CHECK(of("Study participants must be 18 years of age or older.") ==
        std::vector<std::string>{"inc[0] AGE >= 18 years"});
  CHECK(of("Life expectancy of at least three months") ==
        std::vector<std::string>{"inc[0] LIFE_EXPECTANCY >= 3 months"});
  // Converted to years, the value as written kept beside.
  auto list = extract_thresholds("Age 3 months to 17 years");
  REQUIRE(list.size() == 1);
  CHECK(list[0].value == doctest::Approx(0.25));
  CHECK(*list[0].upper == 17);
  CHECK(list[0].unit_written == "months");
  CHECK(list[0].value_written == "3 months to 17 years");
}

TEST_CASE("thresholds: qualifier ages and notes are not the trial's limits") {
  CHECK(of("Negative pregnancy test for women ≥ 12 years of age").empty());
  CHECK(of("A negative urine pregnancy test (≥13 years of age or after onset of menses)").empty());
  CHECK(of("No family history of sudden death under 40 years of age").empty());
  CHECK(of("Karnofsky ≥ 60 for patients (age ≥ 16), Lansky ≥ 60 (age < 16)") ==
        std::vector<std::string>{"inc[0] KARNOFSKY >= 60 % if=patients (age ≥ 16)",
                                 "inc[0] LANSKY >= 60 % if=age < 16"});
  CHECK(of("A CD4 count < 200 cells/mm3 can be used to guide starting ART").empty());
}

TEST_CASE("thresholds: alternatives are one OR group in an inclusion criterion only") {
  CHECK(of("Creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60 mL/min") ==
        std::vector<std::string>{"inc[0] CREATININE <= 1.5 mg/dL or",
                                 "inc[0] CREATININE_CLEARANCE >= 60 mL/min or"});
  CHECK(describe_all(extract_thresholds("Age < 20 or > 35 years", CriterionKind::exclusion)) ==
        std::vector<std::string>{"exc[0] AGE < 20 years", "exc[0] AGE > 35 years"});
  // Group ids are unique within the record.
  auto list = extract_eligibility_thresholds(
      {"ALT ≤ 3 x ULN or AST ≤ 3 x ULN", "WBC ≥ 3 x 10^9/L or ANC ≥ 1.5 x 10^9/L"}, {});
  REQUIRE(list.size() == 4);
  CHECK(list[0].or_group == list[1].or_group);
  CHECK(list[2].or_group == list[3].or_group);
  CHECK(list[0].or_group != list[2].or_group);
}

TEST_CASE("thresholds: the wider vocabulary, units converted to one canonical unit") {
  CHECK(of("Body weight ≥ 110 lbs") ==
        std::vector<std::string>{"inc[0] BODY_WEIGHT >= 49.8952 kg"});
  CHECK(of("SpO2 ≥ 92% on room air") ==
        std::vector<std::string>{"inc[0] OXYGEN_SATURATION >= 92 %"});
  CHECK(of("Hemoglobin ≥ 90 g/L") == std::vector<std::string>{"inc[0] HEMOGLOBIN >= 9 g/dL"});
  CHECK(of("ANC ≥ 1,500/mm^3") == std::vector<std::string>{"inc[0] ANC >= 1.5 10^9/L"});
  CHECK(of("Uncontrolled hypertension (BP > 160 mmHg systolic or > 100 mmHg diastolic)") ==
        std::vector<std::string>{"inc[0] BLOOD_PRESSURE_SYSTOLIC > 160 mmHg or",
                                 "inc[0] BLOOD_PRESSURE_DIASTOLIC > 100 mmHg or"});
  CHECK(of("Term infants, ≥ 37 weeks gestation, birth weight < 1,500 g") ==
        std::vector<std::string>{"inc[0] GESTATIONAL_AGE >= 37 weeks",
                                 "inc[0] BIRTH_WEIGHT < 1500 g"});
  CHECK(of("Temperature > 38.5 °C") == std::vector<std::string>{"inc[0] TEMPERATURE > 38.5 °C"});
  CHECK(of("Lansky Play Score ≥ 50") == std::vector<std::string>{"inc[0] LANSKY >= 50 %"});
  CHECK(of("NT-proBNP ≥ 300 ng/L") == std::vector<std::string>{"inc[0] NT_PROBNP >= 300 pg/mL"});
  CHECK(of("Spinal pain >= 4 on a 0 to 10 Numerical Rating Scale (NRS)") ==
        std::vector<std::string>{"inc[0] PAIN_NRS >= 4"});
  CHECK(of("Urine protein ≤ 2+") ==
        std::vector<std::string>{"inc[0] URINE_PROTEIN_DIPSTICK <= 2 +"});
}

TEST_CASE("thresholds: time windows are their own form, never a parameter's value") {
  auto list = extract_thresholds("Major surgery within 28 days prior to randomization");
  REQUIRE(list.size() == 1);
  CHECK(list[0].form == ThresholdForm::window);
  CHECK(list[0].comparator == "<=");
  CHECK(list[0].value == 28);
  CHECK(list[0].unit == "days");
  list = extract_thresholds("At least 4 weeks since prior chemotherapy");
  REQUIRE(list.size() == 1);
  CHECK(list[0].form == ThresholdForm::window);
  CHECK(list[0].comparator == ">=");
  CHECK(list[0].value == 28);
  CHECK(of("Life expectancy of at least 12 weeks, no chemotherapy within 4 weeks") ==
        std::vector<std::string>{"inc[0] LIFE_EXPECTANCY >= 2.75975 months"});
}
