#pragma once
// Eligibility ages: "18+ years old", "18 to 70 years old", "18 Years to 70 Years (Adult)", "6 Months".
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

struct Age {
  double value = 0;
  std::string unit;  // YEARS MONTHS WEEKS DAYS HOURS MINUTES
};

enum class AgeBound { minimum, maximum };

struct AgeResult {
  std::optional<Age> age;
  bool recognized = false;  // false: the raw string matched no rule (null + warning)
};

// Reads the bound asked for: a range string gives its lower bound to minimum and its upper bound
// to maximum; "18+" has no maximum; "N/A", "No limit" and empty are recognised as no age.
AgeResult parse_age(std::string_view raw, AgeBound bound);

// The age in years (months/12, weeks*7/365.25, days/365.25, ...), rounded to 4 decimals.
double age_in_years(const Age& age);

}  // namespace trialmill
