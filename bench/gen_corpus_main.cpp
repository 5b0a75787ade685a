// trialmill-gen-corpus: N synthetic API v2 studies as /api/v2/studies pages on stdout, one page
// per line, streamed (for the Python peer and for `trialmill load` via a pipe or files).
#include <cstdio>
#include <string>

#include "gen_corpus.hpp"
#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"

int main(int argc, char** argv) {
  using namespace trialmill;
  try {
    const std::vector<OptionSpec> specs = {
        {"count", 0, true, "studies to write (default 10000)", "N"},
        {"seed", 0, true, "generator seed (default 1)", "S"},
        {"corpus", 0, true, "API v2 study files to vary (default ../shared/corpus/ctgov-v2)",
         "DIR"},
    };
    ParsedArgs args = parse_args(argc, argv, specs);
    if (args.has("help")) {
      std::printf(
          "Usage: trialmill-gen-corpus [--count N] [--seed S] [--corpus DIR]\n"
          "Writes N synthetic API v2 studies as pages of 1,000 on stdout, one page per line.\n\n"
          "Options:\n%s",
          format_options_help(specs).c_str());
      return kExitOk;
    }
    if (args.has("version")) {
      std::printf("trialmill-gen-corpus %s\n", TRIALMILL_VERSION);
      return kExitOk;
    }
    if (!args.positional.empty())
      throw UsageError("unexpected argument " + args.positional.front());
    size_t count = 10000;
    uint64_t seed = 1;
    std::string corpus = TRIALMILL_SOURCE_DIR "/../shared/corpus/ctgov-v2";
    if (auto v = args.value("count"))
      count = static_cast<size_t>(parse_unsigned_option("count", *v));
    if (auto v = args.value("seed")) seed = parse_unsigned_option("seed", *v);
    if (auto v = args.value("corpus")) corpus = *v;
    bench::CorpusGenerator generator(corpus, seed);
    std::string page;
    for (size_t p = 0; p < bench::CorpusGenerator::page_count(count); ++p) {
      page.clear();
      generator.append_page(p, count, page);
      page += '\n';
      if (std::fwrite(page.data(), 1, page.size(), stdout) != page.size()) return kExitInputsFailed;
    }
    return std::fflush(stdout) == 0 ? kExitOk : kExitInputsFailed;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "trialmill-gen-corpus: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trialmill-gen-corpus: %s\n", e.what());
    return kExitInputsFailed;
  }
}
