#include "trialmill/parse/parse_command.hpp"

#include "trialmill/error.hpp"
#include "trialmill/record_model.hpp"

namespace trialmill {

std::vector<OptionSpec> parse_option_specs() {
  auto specs = common_options();
  specs.push_back({"url", 'u', true, "the address the page came from (one FILE only)", "URL"});
  specs.push_back({"format", 'f', true, "parse as this format instead of detecting it", "FORMAT"});
  return specs;
}

ParseOptions parse_command_line(const std::vector<std::string>& args) {
  ParsedArgs parsed = parse_args(args, parse_option_specs());
  ParseOptions options;
  options.help = parsed.has("help");
  options.version = parsed.has("version");
  options.files = parsed.positional;
  options.url = parsed.value("url");
  options.format = parsed.value("format");
  if (options.url && options.files.size() != 1)
    throw UsageError("--url applies to exactly one FILE");
  if (options.format && !in_vocabulary(Vocabulary::source_format, *options.format))
    throw UsageError(str_cat("unknown format ", *options.format));
  return options;
}

std::string parse_usage() {
  return "Usage: trialmill-parse [OPTIONS] [FILE...]\n"
         "\n"
         "Parses registry pages into parsed records (JSON Lines on stdout): every field the page\n"
         "shows, as the raw string found there. Each FILE is a page as HTML, as its visible text,\n"
         "or as ClinicalTrials.gov API JSON; its format is detected from its content. Without\n"
         "FILE, reads the manifest lines trialmill-fetch writes ({\"path\",\"url\",\"fetched_at\",...})\n"
         "on stdin.\n"
         "\n"
         "Formats: ctgov-v2-json (a study or a /api/v2/studies page, streamed), ctgov-html, veeva,\n"
         "aggregator-meddatax, aggregator-trialx, and aggregator-generic for other sites.\n"
         "\n"
         "Options:\n" +
         format_options_help(parse_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every page parsed\n"
         "  1  some pages failed (each named on stderr with the reason); the others were output\n"
         "  2  usage error\n";
}

}  // namespace trialmill
