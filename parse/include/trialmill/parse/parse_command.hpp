#pragma once
// trialmill-parse as a command: its options, apart from its I/O so that they can be tested.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/command.hpp"

namespace trialmill {

struct ParseOptions {
  std::vector<std::string> files;     // pages to parse; empty: manifest lines on stdin
  std::optional<std::string> url;     // --url, for a single page
  std::optional<std::string> format;  // --format, to skip detection
};

// Throws UsageError (parse_options) on a bad command line.
void declare_parse_options(CLI::App& app, ParseOptions& options);
int run_parse_command(const ParseOptions& options);  // parse/main.cpp
Command parse_command();

}  // namespace trialmill
