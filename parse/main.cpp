// trialmill-parse: pages in, parsed records (JSON Lines) out.
#include <cstdio>
#include <iostream>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/parse/manifest_pages.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/parse/parse_command.hpp"

namespace {

using namespace trialmill;

void write_record(const JsonDocument& record) {
  std::string line = to_json(record);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// Parses one page and writes its records; returns false when the page, or any study of it,
// failed (each already reported).
bool process(const PageInput& input, const std::string& path) {
  bool ok = true;
  try {
    MappedFile file(path);
    parse_page_records(file.bytes(), input, write_record, [&](std::string&& message) {
      log_error(input.name, message);
      ok = false;
    });
  } catch (const Error& e) {
    log_error(input.name, e.what());
    ok = false;
  }
  return ok;
}

int run(const ParseOptions& options) {
  size_t failed = 0;
  if (!options.files.empty()) {
    for (const auto& path : options.files) {
      PageInput input{path, options.url, std::nullopt, options.format, std::nullopt};
      if (!process(input, path)) ++failed;
    }
  } else {
    read_manifest_pages(
        standard_input(), "stdin", options.format,
        [&](const ManifestPage& page) {
          if (!process(page.input, page.path)) ++failed;
        },
        [&](const std::string& where, const std::string& message) {
          log_error(where, message);
          ++failed;
        });
  }
  std::fflush(stdout);
  return failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  return run_command(
      argc, argv, "trialmill-parse", parse_option_specs(), parse_usage,
      [](const std::vector<std::string>& args) { return run(parse_command_line(args)); });
}
