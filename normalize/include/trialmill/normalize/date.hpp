#pragma once
// Registry dates -> ISO 8601 at the precision shown ("January 2019" -> "2019-01").
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

// "January 3, 2019", "29 July 2025", "Dec 2018", "2023-11-22", "2019-01", "2019";
// nullopt when the string is not a valid date.
std::optional<std::string> parse_date(std::string_view raw);

}  // namespace trialmill
