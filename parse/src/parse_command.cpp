#include "trialmill/parse/parse_command.hpp"

#include <cstdio>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/parse/manifest_pages.hpp"
#include "trialmill/parse/page_parser.hpp"

namespace trialmill {
namespace {

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

}  // namespace

int run_parse_command(const ParseOptions& options) {
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

void declare_parse_options(CLI::App& app, ParseOptions& o) {
  add_optional(app, "-u,--url", o.url, "the address the page came from (one FILE only)", "URL");
  add_format_option(app, o.format, "parse as this format instead of detecting it");
  app.add_option("FILE", o.files, "pages to parse; none: manifest lines on stdin");
  app.callback([&o] {
    if (o.url && o.files.size() != 1) throw UsageError("--url applies to exactly one FILE");
  });
}

Command parse_command() {
  return make_command<ParseOptions>(
      {"trialmill-parse", "parse registry pages into parsed records (JSON Lines)",
       "[OPTIONS] [FILE...]",
       "Parses registry pages into parsed records (JSON Lines on stdout): every field the page\n"
       "shows, as the raw string found there. Each FILE is a page as HTML, as its visible text,\n"
       "or as ClinicalTrials.gov API JSON; its format is detected from its content. Without\n"
       "FILE, reads the manifest lines trialmill-fetch writes "
       "({\"path\",\"url\",\"fetched_at\",...})\n"
       "on stdin.\n"
       "\n"
       "Formats: ctgov-v2-json (a study or a /api/v2/studies page, streamed), ctgov-html, veeva,\n"
       "aggregator-meddatax, aggregator-trialx, and aggregator-generic for other sites.\n",
       "  0  every page parsed\n"
       "  1  some pages failed (each named on stderr with the reason); the others were output\n"
       "  2  usage error\n"},
      declare_parse_options, run_parse_command);
}

}  // namespace trialmill
