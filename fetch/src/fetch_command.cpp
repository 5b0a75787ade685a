#include "trialmill/fetch/fetch_command.hpp"

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::vector<OptionSpec> fetch_option_specs() {
  auto specs = common_options();
  specs.push_back({"config", 'c', true, "the sources config (JSON; see docs/fetch.md)", "FILE"});
  specs.push_back({"source", 's', true, "fetch only this source (repeatable)", "NAME"});
  specs.push_back({"archive", 'a', true, "raw archive directory (default: archive)", "DIR"});
  specs.push_back({"since", 0, true, "only pages updated on or after this date", "YYYY-MM-DD"});
  specs.push_back(
      {"nct", 'n', true, "look up this trial instead of discovering (repeatable)", "NCT_ID"});
  specs.push_back({"base", 'b', true, "address that replaces {base} in the config", "URL"});
  return specs;
}

FetchOptions parse_fetch_command_line(const std::vector<std::string>& args) {
  ParsedArgs parsed = parse_args(args, fetch_option_specs());
  FetchOptions options;
  options.help = parsed.has("help");
  options.version = parsed.has("version");
  if (options.help || options.version) return options;
  if (!parsed.positional.empty())
    throw UsageError(str_cat("unexpected argument ", parsed.positional.front()));
  auto config = parsed.value("config");
  if (!config) throw UsageError("--config FILE is required");
  options.config_path = *config;
  if (parsed.values.count("source")) options.sources = parsed.values.at("source");
  if (auto dir = parsed.value("archive")) {
    if (dir->empty()) throw UsageError("--archive needs a directory");
    options.archive_dir = *dir;
  }
  options.since = parsed.value("since");
  if (options.since && !is_iso_date(*options.since))
    throw UsageError(str_cat("--since wants a date as YYYY-MM-DD, not ", *options.since));
  if (parsed.values.count("nct")) {
    for (const auto& raw : parsed.values.at("nct")) {
      // Several IDs in one value ("NCT01,NCT02" or spaces) are accepted for convenience.
      for (const auto& id : split_trimmed(replace_all(raw, ",", " "), " ")) {
        if (id.empty()) continue;
        std::string upper = to_upper(id);
        if (!is_nct_id(upper)) throw UsageError(str_cat("not an NCT ID: ", id));
        options.nct_ids.push_back(upper);
      }
    }
  }
  options.base = parsed.value("base");
  if (options.base) {
    while (!options.base->empty() && options.base->back() == '/') options.base->pop_back();
    if (options.base->empty()) throw UsageError("--base needs a URL");
  }
  return options;
}

std::string fetch_usage() {
  return "Usage: trialmill-fetch --config FILE [--source NAME]... [--archive DIR]\n"
         "                       [--since YYYY-MM-DD] [--nct NCT_ID]... [--base URL]\n"
         "\n"
         "Downloads registry pages politely (per-host rate and concurrency limits, robots.txt,\n"
         "retries with backoff, conditional requests) into a content-addressed raw archive, and\n"
         "writes one manifest line per page on stdout for trialmill-parse:\n"
         "  {\"url\",\"format\",\"path\",\"sha256\",\"http_status\",\"fetched_at\",\"etag\",\n"
         "   \"last_modified\",\"nct_id\"}\n"
         "A page unchanged since the last run costs a 304; its line says http_status 304 and\n"
         "points to the archived copy. Pages are found through each source's sitemap, listing or\n"
         "ClinicalTrials.gov API paging, or looked up by ID with --nct.\n"
         "\n"
         "Options:\n" +
         format_options_help(fetch_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every page fetched (or unchanged)\n"
         "  1  some pages failed (each URL named on stderr with the reason); the others were "
         "output\n"
         "  2  usage or config error\n";
}

}  // namespace trialmill
