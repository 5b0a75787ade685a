// trialmill-fetch: sources config in, registry pages into the raw archive, manifest lines out.
#include <cstdio>

#include "trialmill/error.hpp"
#include "trialmill/fetch/fetch_command.hpp"
#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/log.hpp"

namespace {

using namespace trialmill;

int run(const FetchOptions& options) {
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

}  // namespace

int main(int argc, char** argv) {
  return run_command(argc, argv, "trialmill-fetch", fetch_option_specs(), fetch_usage,
                     [](const std::vector<std::string>& args) { return run(parse_fetch_command_line(args)); });
}
