#pragma once
// The trialmill-normalize command without main(): options, usage text and the line loop.
#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

std::vector<OptionSpec> normalize_option_specs();
std::string normalize_usage();

// Normalizes every JSON line of `in`, writing one trial record per line to `out`. A failed line
// is logged as "<input_name>:<line>" (plus the NCT ID when known) and skipped; each
// normalize_warning is logged at warning level. Returns the number of failed lines.
size_t normalize_stream(std::istream& in, const std::string& input_name, std::ostream& out);

}  // namespace trialmill
