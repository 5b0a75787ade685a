#include "trialmill/fetch/fetch_command.hpp"

#include <cstdio>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

void declare_fetch_options(CLI::App& app, FetchOptions& o) {
  app.add_option("-c,--config", o.config_path, "the sources config (JSON; see docs/fetch.md)")
      ->type_name("FILE")
      ->required();
  add_repeatable(app, "-s,--source", o.sources, "fetch only this source (repeatable)", "NAME");
  app.add_option("-a,--archive", o.archive_dir, "raw archive directory (default: archive)")
      ->type_name("DIR")
      ->check(CLI::Validator(
          [](std::string& dir) { return dir.empty() ? "--archive needs a directory" : ""; }, "",
          "DIR"));
  add_optional(app, "--since", o.since, "only pages updated on or after this date", "YYYY-MM-DD")
      ->check(iso_date());
  app.add_option_function<std::vector<std::string>>(
         "-n,--nct",
         [&o](const std::vector<std::string>& values) {
           // Several IDs in one value ("NCT01,NCT02" or spaces) are accepted for convenience.
           for (const auto& raw : values)
             for (const auto& id : split_trimmed(replace_all(raw, ",", " "), " ")) {
               if (id.empty()) continue;
               std::string upper = to_upper(id);
               if (!is_nct_id(upper)) throw UsageError(str_cat("not an NCT ID: ", id));
               o.nct_ids.push_back(upper);
             }
         },
         "look up this trial instead of discovering (repeatable)")
      ->type_name("NCT_ID")
      ->allow_extra_args(false);
  app.add_option_function<std::string>(
         "-b,--base",
         [&o](const std::string& value) {
           std::string base = value;
           while (!base.empty() && base.back() == '/') base.pop_back();
           if (base.empty()) throw UsageError("--base needs a URL");
           o.base = base;
         },
         "address that replaces {base} in the config")
      ->type_name("URL");
}

int run_fetch_command(const FetchOptions& options) {
  FetchConfig config = load_fetch_config(options.config_path, options.base);
  FetchSummary summary = run_fetch(config, options, [](const ManifestLine& line) {
    std::string text = manifest_json(line);
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);  // the next stage can start on a page while the rest download
  });
  log_info(str_cat(summary.pages, " pages (", summary.unchanged, " unchanged), ", summary.failed,
                   " failed"));
  return summary.failed ? kExitInputsFailed : kExitOk;
}

Command fetch_command() {
  return make_command<FetchOptions>(
      {"trialmill-fetch", "download registry pages into the raw archive; manifest lines out",
       "--config FILE [--source NAME]... [--archive DIR]\n"
       "[--since YYYY-MM-DD] [--nct NCT_ID]... [--base URL]",
       "Downloads registry pages politely (per-host rate and concurrency limits, robots.txt,\n"
       "retries with backoff, conditional requests) into a content-addressed raw archive, and\n"
       "writes one manifest line per page on stdout for trialmill-parse:\n"
       "  {\"url\",\"format\",\"path\",\"sha256\",\"http_status\",\"fetched_at\",\"etag\",\n"
       "   \"last_modified\",\"nct_id\"}\n"
       "A page unchanged since the last run costs a 304; its line says http_status 304 and\n"
       "points to the archived copy. Pages are found through each source's sitemap, listing or\n"
       "ClinicalTrials.gov API paging, or looked up by ID with --nct.\n",
       "  0  every page fetched (or unchanged)\n"
       "  1  some pages failed (each URL named on stderr with the reason); the others were "
       "output\n"
       "  2  usage or config error\n"},
      declare_fetch_options, run_fetch_command);
}

}  // namespace trialmill
