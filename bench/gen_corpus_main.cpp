// trialmill-gen-corpus: N synthetic API v2 studies as /api/v2/studies pages on stdout, one page
// per line, streamed (for the Python peer and for `trialmill load` via a pipe or files).
#include <cstdio>
#include <string>

#include "gen_corpus.hpp"
#include "trialmill/cli.hpp"
#include "trialmill/command.hpp"

namespace {

using namespace trialmill;

struct GenCorpusOptions {
  size_t count = 10000;
  uint64_t seed = 1;
  std::string corpus = TRIALMILL_SOURCE_DIR "/../shared/corpus/ctgov-v2";
};

void declare_gen_corpus_options(CLI::App& app, GenCorpusOptions& o) {
  app.add_option("--count", o.count, "studies to write (default 10000)")
      ->type_name("N")
      ->check(unsigned_number());
  app.add_option("--seed", o.seed, "generator seed (default 1)")
      ->type_name("S")
      ->check(unsigned_number());
  app.add_option("--corpus", o.corpus,
                 "API v2 study files to vary (default ../shared/corpus/ctgov-v2)")
      ->type_name("DIR");
}

int gen_corpus(const GenCorpusOptions& o) {
  bench::CorpusGenerator generator(o.corpus, o.seed);
  std::string page;
  for (size_t p = 0; p < bench::CorpusGenerator::page_count(o.count); ++p) {
    page.clear();
    generator.append_page(p, o.count, page);
    page += '\n';
    if (std::fwrite(page.data(), 1, page.size(), stdout) != page.size()) return kExitInputsFailed;
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitInputsFailed;
}

}  // namespace

int main(int argc, char** argv) {
  return run_program(
      make_command<GenCorpusOptions>(
          {"trialmill-gen-corpus", "synthetic API v2 studies for the load benchmark",
           "[--count N] [--seed S] [--corpus DIR]",
           "Writes N synthetic API v2 studies as pages of 1,000 on stdout, one page per line.\n",
           "  0  every page written\n  1  the corpus or stdout failed\n  2  usage error\n"},
          declare_gen_corpus_options, gen_corpus),
      argc, argv);
}
