#pragma once
// The thresholds vocabulary: every parameter the reader knows, with its canonical unit, the units
// it accepts, the conversions to the canonical unit and the names it is written under -- one
// table (thresholds_vocabulary.cpp), data rather than code. docs/schema.md lists it.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace trialmill::threshold_detail {

enum AliasFlag : unsigned {
  kExactCase = 1,        // "Cr", "TB", "PT", "eGFR": only as written
  kNeedsComparator = 2,  // "TB", "PT", "MAP": only when a comparator follows at once
};

struct AliasSpec {
  std::string_view text;
  std::string_view params;  // one or more canonical names, space-separated
  unsigned flags = 0;
};

struct ParameterSpec {
  std::string_view name;            // canonical UPPER_SNAKE name
  std::string_view canonical_unit;  // "" when the parameter has none (ECOG)
  // The unit a bare number means ("age 18 to 65" is in years), "" when a bare number stays
  // without one (a bare "ANC < 500" could be per µL or 10^9/L: never guessed).
  std::string_view implied_unit;
  // Written units the parameter accepts besides none: "time" (years ... hours), "*" (any but a
  // time), or a space-separated list of normalized units. A number in any other unit is not a
  // bound of this parameter ("LVEF 3 months" is not an LVEF).
  std::string_view accepts;
  // "unit*factor" or "unit*factor+offset" conversions to the canonical unit, space-separated.
  std::string_view conversions;
  double max = 0;      // values above (in the canonical unit) are not this parameter's; 0: none
  bool whole = false;  // whole numbers only (ECOG)
  std::string_view aliases;  // names, '|'-separated; "=Cr" exact case, "!TB" needs a comparator
};

std::span<const ParameterSpec> parameters();
const ParameterSpec* find_parameter(std::string_view name);
// Aliases built from the table, plus the few names that stand for several parameters at once
// ("transaminases" = ALT and AST).
std::span<const AliasSpec> aliases();

// `value` in `unit` converted to the parameter's canonical unit; nullopt when the table has no
// conversion (the value then stays in the unit it was written in).
struct Converted {
  double value;
  std::string unit;
};
std::optional<Converted> to_canonical(const ParameterSpec& p, double value, std::string_view unit);

bool is_time_unit(std::string_view unit);
// Whether a bound written in `unit` (empty: none) can belong to the parameter.
bool unit_accepted(const ParameterSpec& p, std::string_view unit);

}  // namespace trialmill::threshold_detail
