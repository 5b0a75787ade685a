#pragma once
// Enrollment: "30 estimated patients", "2,016 patients", "Target enrollment 380 participants".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

struct Enrollment {
  int64_t count = 0;
  std::optional<std::string> type;  // ACTUAL ESTIMATED, or nullopt when the page does not say
};

// `raw_type` is the separate type word when the page gives one ("Estimated", "ACTUAL").
// nullopt when no count can be read or the type word is not recognised.
std::optional<Enrollment> parse_enrollment(std::string_view raw_count,
                                           std::optional<std::string_view> raw_type);

// "Estimated", "Anticipated", "ESTIMATED" -> ESTIMATED; "Actual" -> ACTUAL.
std::optional<std::string> map_date_type(std::string_view raw);

}  // namespace trialmill
