// trialmill-parse: pages in, parsed records (JSON Lines) out.
#include <cstdio>
#include <iostream>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/parse/parse_command.hpp"
#include "trialmill/record_model.hpp"

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
    JsonLineReader reader(standard_input());
    JsonLineReader::Line line;
    while (reader.next(line)) {
      std::string name = str_cat("stdin:", line.number);
      try {
        JsonDocument manifest = parse_json_line(line, "manifest line");
        auto path = get_string(manifest, "path");
        if (!path) throw make_error("manifest line has no \"path\"");
        // A source of format "auto" (or aggregator-generic) has no parser of its own: its pages
        // are read by detection and the generic reader, as a FILE without --format is.
        std::optional<std::string> format = get_string(manifest, "format");
        if (format && (*format == "auto" || *format == kFormatGeneric)) format.reset();
        PageInput input{*path, get_string(manifest, "url"), get_string(manifest, "fetched_at"),
                        options.format ? options.format : format, get_string(manifest, "nct_id")};
        if (!process(input, *path)) ++failed;
      } catch (const Error& e) {
        log_error(name, e.what());
        ++failed;
      }
    }
  }
  std::fflush(stdout);
  return failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  return run_command(argc, argv, "trialmill-parse", parse_option_specs(), parse_usage,
                     [](const std::vector<std::string>& args) { return run(parse_command_line(args)); });
}
