// Ages, dates, enrollment, people and intervention names: raw strings from the seeds and corpus.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "trialmill/normalize/age.hpp"
#include "trialmill/normalize/date.hpp"
#include "trialmill/normalize/enrollment.hpp"
#include "trialmill/normalize/interventions.hpp"
#include "trialmill/normalize/people.hpp"

using namespace trialmill;

namespace {

struct AgeRow {
  const char* raw;
  AgeBound bound;
  bool recognized;
  std::optional<double> value;
  const char* unit;
};

constexpr auto kMin = AgeBound::minimum;
constexpr auto kMax = AgeBound::maximum;

const AgeRow kAgeRows[] = {
    {"18+ years old", kMin, true, 18, "YEARS"},
    {"18+ years old", kMax, true, std::nullopt, ""},
    {"18 to 70 years old", kMin, true, 18, "YEARS"},
    {"18 to 70 years old", kMax, true, 70, "YEARS"},
    {"18-75 years", kMin, true, 18, "YEARS"},
    {"18-75 years", kMax, true, 75, "YEARS"},
    {"18 Years to 70 Years   (Adult, Older Adult)", kMin, true, 18, "YEARS"},
    {"18 Years to 70 Years   (Adult, Older Adult)", kMax, true, 70, "YEARS"},
    {"18 Years", kMin, true, 18, "YEARS"},
    {"70 Years", kMax, true, 70, "YEARS"},
    {"6 Months", kMin, true, 6, "MONTHS"},
    {"2 Weeks", kMin, true, 2, "WEEKS"},
    {"28 Days", kMax, true, 28, "DAYS"},
    {"12 Hours", kMin, true, 12, "HOURS"},
    {"30 Minutes", kMin, true, 30, "MINUTES"},
    {"N/A", kMin, true, std::nullopt, ""},
    {"N/A", kMax, true, std::nullopt, ""},
    {"No limit", kMax, true, std::nullopt, ""},
    {"", kMin, true, std::nullopt, ""},
    {"18 Years - undefined (Adult, Older Adult)", kMin, true, 18, "YEARS"},
    {"18 Years - undefined (Adult, Older Adult)", kMax, true, std::nullopt, ""},
    {"25 Years to 45 Years", kMax, true, 45, "YEARS"},
    {"6 Months to 17 Years", kMin, true, 6, "MONTHS"},
    {"6 Months to 17 Years", kMax, true, 17, "YEARS"},
    {"18 years and older", kMin, true, 18, "YEARS"},
    {"Adults", kMin, false, std::nullopt, ""},
    {"18", kMin, false, std::nullopt, ""},
    {"eighteen years", kMin, false, std::nullopt, ""},
};

}  // namespace

TEST_CASE("normalize: ages") {
  for (const auto& row : kAgeRows) {
    std::string raw_text = row.raw;
    CAPTURE(raw_text);
    CAPTURE(row.bound == kMin ? "minimum" : "maximum");
    AgeResult r = parse_age(row.raw, row.bound);
    CHECK(r.recognized == row.recognized);
    REQUIRE(r.age.has_value() == row.value.has_value());
    if (row.value) {
      CHECK(r.age->value == doctest::Approx(*row.value));
      CHECK(r.age->unit == row.unit);
    }
  }
}

TEST_CASE("normalize: ages in years") {
  CHECK(age_in_years(Age{18, "YEARS"}) == doctest::Approx(18));
  CHECK(age_in_years(Age{6, "MONTHS"}) == doctest::Approx(0.5));
  CHECK(age_in_years(Age{2, "WEEKS"}) == doctest::Approx(0.0383));
  CHECK(age_in_years(Age{28, "DAYS"}) == doctest::Approx(0.0767));
  CHECK(age_in_years(Age{365.25 * 24, "HOURS"}) == doctest::Approx(1));
  CHECK(age_in_years(Age{1440 * 365.25, "MINUTES"}) == doctest::Approx(1));
  CHECK(age_in_years(Age{1, "MONTHS"}) == doctest::Approx(0.0833));  // rounded to 4 decimals
}

namespace {

struct DateRow {
  const char* raw;
  const char* expected;  // nullptr: invalid
};

const DateRow kDateRows[] = {
    {"January 2019", "2019-01"},
    {"January 3, 2019", "2019-01-03"},
    {"29 July 2025", "2025-07-29"},
    {"2023-11-22", "2023-11-22"},
    {"2025-12-31", "2025-12-31"},
    {"2025-02-19", "2025-02-19"},
    {"2019-01", "2019-01"},
    {"2019", "2019"},
    {"Dec 2018", "2018-12"},
    {"December 28, 2018", "2018-12-28"},
    {"Sept 2020", "2020-09"},
    {"February 29, 2024", "2024-02-29"},
    {"  March   5, 2021 ", "2021-03-05"},
    {"February 29, 2023", nullptr},
    {"2019-13", nullptr},
    {"2019-02-30", nullptr},
    {"Smarch 2019", nullptr},
    {"soon", nullptr},
    {"", nullptr},
    {"19", nullptr},
};

}  // namespace

TEST_CASE("normalize: dates at the precision shown") {
  for (const auto& row : kDateRows) {
    std::string raw_text = row.raw;
    CAPTURE(raw_text);
    auto date = parse_date(row.raw);
    REQUIRE(date.has_value() == (row.expected != nullptr));
    if (row.expected) CHECK(*date == row.expected);
  }
}

namespace {

struct EnrollmentRow {
  const char* count;
  const char* type;  // nullptr: no separate type word
  bool ok;
  long long expected_count;
  const char* expected_type;  // nullptr: type null
};

const EnrollmentRow kEnrollmentRows[] = {
    {"30 estimated patients", nullptr, true, 30, "ESTIMATED"},
    {"84 estimated patients", nullptr, true, 84, "ESTIMATED"},
    {"2,016 patients", nullptr, true, 2016, nullptr},
    {"44 participants", "Estimated", true, 44, "ESTIMATED"},
    {"Target enrollment 380 participants", nullptr, true, 380, nullptr},
    {"25 participants", nullptr, true, 25, nullptr},
    {"120 actual participants", nullptr, true, 120, "ACTUAL"},
    {"300", "ACTUAL", true, 300, "ACTUAL"},
    {"300", "Anticipated", true, 300, "ESTIMATED"},
    {"12,345,678 participants", nullptr, true, 12345678, nullptr},
    {"many patients", nullptr, false, 0, nullptr},
    {"30 to 40 patients", nullptr, false, 0, nullptr},
    {"44 participants", "Planned", false, 0, nullptr},
    {"2.5 patients", nullptr, false, 0, nullptr},
};

}  // namespace

TEST_CASE("normalize: enrollment") {
  for (const auto& row : kEnrollmentRows) {
    std::string raw_text = row.count;
    CAPTURE(raw_text);
    std::optional<std::string_view> type;
    if (row.type) type = row.type;
    auto e = parse_enrollment(row.count, type);
    REQUIRE(e.has_value() == row.ok);
    if (!row.ok) continue;
    CHECK(e->count == row.expected_count);
    REQUIRE(e->type.has_value() == (row.expected_type != nullptr));
    if (row.expected_type) CHECK(*e->type == row.expected_type);
  }
}

namespace {

struct NameRow {
  const char* raw;
  const char* expected;
};

const NameRow kNameRows[] = {
    {"Guopei Zhu, M.D", "Guopei Zhu"},
    {"Zhaoming Ye, professor", "Zhaoming Ye"},
    {"Zhaoming Ye, M.D.", "Zhaoming Ye"},
    {"Rui You, PhD", "Rui You"},
    {"Ming-Yuan Chen, MD, PhD", "Ming-Yuan Chen"},
    {"Prof. Dr. Anna Schmidt", "Anna Schmidt"},
    {"Dr. Li Wei MSc", "Li Wei"},
    {"Jane Doe, RN, MPH", "Jane Doe"},
    {"Bing, Xu", "Bing, Xu"},
    {"Zhijuan Lin", "Zhijuan Lin"},
    {"Xiaoling Ma, MD", "Xiaoling Ma"},
    {"Anh Do, M.D., Ph.D.", "Anh Do"},
};

}  // namespace

TEST_CASE("normalize: degrees and titles stripped from names") {
  for (const auto& row : kNameRows) {
    std::string raw_text = row.raw;
    CAPTURE(raw_text);
    CHECK(strip_name_titles(row.raw) == row.expected);
  }
}

TEST_CASE("normalize: several people in one contact string") {
  auto people = split_people("Rui You, PhD; Ming-Yuan Chen, MD, PhD");
  REQUIRE(people.size() == 2);
  CHECK(people[0].name == "Rui You");
  CHECK(people[1].name == "Ming-Yuan Chen");
  CHECK_FALSE(people[0].phone.has_value());
  CHECK_FALSE(people[1].email.has_value());
}

TEST_CASE("normalize: phones and emails inside a name string") {
  auto ye = split_people("Zhaoming Ye, professor 0086 13606501549");
  REQUIRE(ye.size() == 1);
  CHECK(ye[0].name == "Zhaoming Ye");
  REQUIRE(ye[0].phone.has_value());
  CHECK(*ye[0].phone == "0086 13606501549");

  auto md = split_people("Zhaoming Ye, M.D.    0086 13606501549   ");
  REQUIRE(md.size() == 1);
  CHECK(md[0].name == "Zhaoming Ye");
  CHECK(md[0].phone == std::optional<std::string>("0086 13606501549"));

  auto plus = split_people("Yun Chen +8615960283462 chenyun@example.org");
  REQUIRE(plus.size() == 1);
  CHECK(plus[0].name == "Yun Chen");
  CHECK(plus[0].phone == std::optional<std::string>("+8615960283462"));
  CHECK(plus[0].email == std::optional<std::string>("chenyun@example.org"));

  auto none = split_people("Guopei Zhu, M.D");
  REQUIRE(none.size() == 1);
  CHECK_FALSE(none[0].phone.has_value());
}

TEST_CASE("normalize: sponsor names") {
  CHECK(normalize_sponsor_name("Novartis ( Novartis Pharmaceuticals )") == "Novartis");
  CHECK(normalize_sponsor_name("Shanghai Jiao Tong University") == "Shanghai Jiao Tong University");
  CHECK(normalize_sponsor_name("Sun Yat-sen University (SYSU)") == "Sun Yat-sen University (SYSU)");
  CHECK(normalize_sponsor_name("  The First Affiliated Hospital of  Xiamen University ") ==
        "The First Affiliated Hospital of Xiamen University");
}

TEST_CASE("normalize: intervention type prefixes") {
  auto atra = split_type_prefix("Drug: All-trans Retinoic Acid");
  CHECK(atra.type == std::optional<std::string>("DRUG"));
  CHECK(atra.name == "All-trans Retinoic Acid");

  auto combo = split_type_prefix(
      "Drug: Apatinib, Camrelizumab, Chemotherapy (gemcitabine/ capecitabine/ docetaxel)");
  CHECK(combo.type == std::optional<std::string>("DRUG"));
  CHECK(combo.name == "Apatinib, Camrelizumab, Chemotherapy (gemcitabine/ capecitabine/ docetaxel)");

  auto bio = split_type_prefix("Biological: Camrelizumab");
  CHECK(bio.type == std::optional<std::string>("BIOLOGICAL"));

  auto regimen = split_type_prefix("Regimen: KPD");
  CHECK_FALSE(regimen.type.has_value());
  CHECK(regimen.name == "Regimen: KPD");

  auto plain = split_type_prefix("Anlotinib");
  CHECK_FALSE(plain.type.has_value());
  CHECK(plain.name == "Anlotinib");
}

TEST_CASE("normalize: interventions deduplicated by type and name") {
  std::vector<Intervention> items = {
      {std::string("DRUG"), "Chemotherapy", std::nullopt, {}},
      {std::string("DRUG"), "VEGFR inhibitor", std::string("short"), {"a"}},
      {std::string("DRUG"), "Chemotherapy", std::string("gemcitabine or docetaxel"), {"GEM"}},
      {std::string("OTHER"), "Chemotherapy", std::nullopt, {}},
      {std::string("DRUG"), "VEGFR inhibitor", std::string("s"), {"a", "b"}},
  };
  auto out = dedupe_interventions(items);
  REQUIRE(out.size() == 3);
  CHECK(out[0].name == "Chemotherapy");
  CHECK(out[0].description == std::optional<std::string>("gemcitabine or docetaxel"));
  CHECK(out[0].other_names == std::vector<std::string>{"GEM"});
  CHECK(out[1].name == "VEGFR inhibitor");
  CHECK(out[1].description == std::optional<std::string>("short"));
  CHECK(out[1].other_names == std::vector<std::string>{"a", "b"});
  CHECK(out[2].type == std::optional<std::string>("OTHER"));
}
