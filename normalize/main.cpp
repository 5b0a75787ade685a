// trialmill-normalize: parsed records in, trial records (JSON Lines) out.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_command.hpp"

namespace {

using namespace trialmill;

int run(const ParsedArgs& args) {
  size_t failed = 0;
  if (args.positional.empty()) {
    failed += normalize_stream(std::cin, "stdin", std::cout);
  } else {
    for (const auto& path : args.positional) {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        log_error(path, "cannot open file");
        ++failed;
        continue;
      }
      failed += normalize_stream(in, path, std::cout);
    }
  }
  std::cout.flush();
  return failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    ParsedArgs args = parse_args(argc, argv, normalize_option_specs());
    apply_common_options(args, "trialmill-normalize");
    if (args.has("help")) {
      std::fputs(normalize_usage().c_str(), stdout);
      return kExitOk;
    }
    if (args.has("version")) {
      std::puts("trialmill-normalize " TRIALMILL_VERSION);
      return kExitOk;
    }
    return run(args);
  } catch (const UsageError& e) {
    log_error({}, e.what());
    std::fputs("Try 'trialmill-normalize --help'.\n", stderr);
    return kExitUsage;
  } catch (const std::exception& e) {
    log_error({}, e.what());
    return kExitInputsFailed;
  }
}
