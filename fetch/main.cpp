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
  log_configure({"trialmill-fetch"});
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    FetchOptions options = parse_fetch_command_line(args);
    apply_common_options(parse_args(args, fetch_option_specs()), "trialmill-fetch");
    if (options.help) {
      std::fputs(fetch_usage().c_str(), stdout);
      return kExitOk;
    }
    if (options.version) {
      std::puts("trialmill-fetch " TRIALMILL_VERSION);
      return kExitOk;
    }
    return run(options);
  } catch (const UsageError& e) {
    log_error({}, e.what());
    std::fputs("Try 'trialmill-fetch --help'.\n", stderr);
    return kExitUsage;
  } catch (const std::exception& e) {
    log_error({}, e.what());
    return kExitInputsFailed;
  }
}
