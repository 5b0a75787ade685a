#pragma once
// trialmill-parse's command line, apart from its I/O so that it can be tested.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"

namespace trialmill {

struct ParseOptions {
  std::vector<std::string> files;     // pages to parse; empty: manifest lines on stdin
  std::optional<std::string> url;     // --url, for a single page
  std::optional<std::string> format;  // --format, to skip detection
  bool help = false;
  bool version = false;
};

std::vector<OptionSpec> parse_option_specs();
// Throws UsageError on a bad command line.
ParseOptions parse_command_line(const std::vector<std::string>& args);
std::string parse_usage();

}  // namespace trialmill
