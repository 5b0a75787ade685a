// trialmill-normalize: parsed records in, trial records (JSON Lines) out.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "trialmill/io.hpp"
#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_command.hpp"

namespace {

using namespace trialmill;

int run(const ParsedArgs& args) {
  size_t failed = 0;
  if (args.positional.empty()) {
    failed += normalize_stream(standard_input(), "stdin", std::cout);
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
  return run_command(argc, argv, "trialmill-normalize", normalize_option_specs(), normalize_usage,
                     [](const std::vector<std::string>& args) {
                       return run(parse_args(args, normalize_option_specs()));
                     });
}
