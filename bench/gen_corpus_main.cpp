// trialmill-gen-corpus: N synthetic API v2 studies as /api/v2/studies pages on stdout, one page
// per line, streamed (for the Python peer and for `trialmill load` via a pipe or files).
#include <charconv>
#include <cstdio>
#include <string>

#include "gen_corpus.hpp"
#include "trialmill/error.hpp"

namespace {

size_t number(const char* text) {
  size_t value = 0;
  std::string_view s(text);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) throw trialmill::UsageError(std::string("not a number: ") + text);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trialmill;
  try {
    size_t count = 10000;
    uint64_t seed = 1;
    std::string corpus = TRIALMILL_SOURCE_DIR "/../shared/corpus/ctgov-v2";
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "--help") {
        std::puts("Usage: trialmill-gen-corpus [--count N] [--seed S] [--corpus DIR]\n"
                  "Writes N synthetic API v2 studies as pages of 1,000 on stdout, one page per line.");
        return kExitOk;
      }
      if (i + 1 >= argc) throw UsageError(arg + " needs a value");
      if (arg == "--count") count = number(argv[++i]);
      else if (arg == "--seed") seed = number(argv[++i]);
      else if (arg == "--corpus") corpus = argv[++i];
      else throw UsageError("unknown option " + arg);
    }
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
