#pragma once
// trialmill-normalize as a command: its options, its body and the line loop.
#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

struct NormalizeOptions {
  std::vector<std::string> files;  // parsed records; empty: stdin
};

void declare_normalize_options(CLI::App& app, NormalizeOptions& options);
int run_normalize_command(const NormalizeOptions& options);
Command normalize_command();

// Normalizes every JSON line of `in`, writing one trial record per line to `out`. A failed line
// is logged as "<input_name>:<line>" (plus the NCT ID when known) and skipped; each
// normalize_warning is logged at warning level. Returns the number of failed lines.
size_t normalize_stream(std::istream& in, const std::string& input_name, std::ostream& out);

}  // namespace trialmill
