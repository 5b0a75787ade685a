// Parse throughput against its floor, measured in the same run: HTML pages through trialmill's
// parser (and parser + normalizer) versus a bare Gumbo parse of the same pages; API v2 JSON
// through trialmill versus a bare RapidJSON parse of the same files. Ratios, not absolute times.
// Times are this thread's CPU time, and the measurements take turns page set by page set, so that
// another process on the same cores slows every side alike.
#include <gumbo.h>
#include <rapidjson/document.h>

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "trialmill/cli.hpp"
#include "trialmill/command.hpp"
#include "trialmill/error.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"

namespace fs = std::filesystem;
using namespace trialmill;

namespace {

std::vector<std::string> read_all(const fs::path& dir, const std::string& ext) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

struct Rate {
  double pages_per_s = 0;
  double mb_per_s = 0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

using Work = std::function<void(const std::string&)>;

// Runs each of `works` over every page in turn, round after round (which goes first rotates),
// until each has had at least `seconds` of CPU time. Taking turns, not one after the other,
// so that a busy neighbour on the VM slows every side alike and the ratios hold.
std::vector<Rate> measure(const std::vector<std::string>& pages, double seconds,
                          const std::vector<Work>& works) {
  std::vector<double> cpu(works.size(), 0);
  std::vector<size_t> count(works.size(), 0), bytes(works.size(), 0);
  for (size_t round = 0; *std::min_element(cpu.begin(), cpu.end()) < seconds; ++round) {
    for (size_t k = 0; k < works.size(); ++k) {
      size_t w = (round + k) % works.size();
      double start = thread_cpu_seconds();
      for (const auto& page : pages) {
        works[w](page);
        ++count[w];
        bytes[w] += page.size();
      }
      cpu[w] += thread_cpu_seconds() - start;
    }
  }
  std::vector<Rate> rates;
  for (size_t w = 0; w < works.size(); ++w)
    rates.push_back({count[w] / cpu[w], bytes[w] / cpu[w] / 1e6});
  return rates;
}

void row(const char* name, Rate rate, Rate floor) {
  std::printf("  %-34s %10.0f pages/s %8.1f MB/s %8.3f ms/page %5.0f%% of floor\n", name,
              rate.pages_per_s, rate.mb_per_s, 1e3 / rate.pages_per_s,
              100.0 * rate.pages_per_s / floor.pages_per_s);
}

volatile size_t sink = 0;  // keeps the measured work from being optimised away

// The floor and trialmill (parse, parse + normalize) on the same pages, taking turns.
void compare(const char* heading, const std::vector<std::string>& pages, double seconds,
             const char* floor_name, const Work& floor_work) {
  size_t total = 0;
  for (const auto& p : pages) total += p.size();
  std::printf("%s: %zu pages, %.1f KB\n", heading, pages.size(), total / 1e3);
  PageInput input;
  input.name = "bench";
  auto rates = measure(
      pages, seconds,
      {floor_work, [&](const std::string& page) { sink = sink + parse_page(page, input).size(); },
       [&](const std::string& page) {
         for (auto& record : parse_page(page, input))
           sink = sink + normalize_record(record).MemberCount();
       }});
  row(floor_name, rates[0], rates[0]);
  row("trialmill parse", rates[1], rates[0]);
  row("trialmill parse + normalize", rates[2], rates[0]);
}

struct Options {
  std::string source_dir = ".";
  double seconds = 1.0;
  std::string only;  // "html" or "json": only that part (for profiling one of them)
};

void declare_options(CLI::App& app, Options& o) {
  app.add_option("SOURCE_DIR", o.source_dir, "the repository (default: the current directory)");
  app.add_option("SECONDS", o.seconds, "CPU time per measurement (default 1.0)")
      ->check(CLI::Validator(CLI::PositiveNumber).description(""));
  app.add_option("PART", o.only, "html or json: only that part")
      ->check(CLI::IsMember({"html", "json"}).description(""));
}

int run(const Options& o) {
  const fs::path root = fs::weakly_canonical(o.source_dir);  // "." has a parent too
  const double seconds = o.seconds;
  const std::string& only = o.only;
  auto html = read_all(root / "fixtures" / "html", ".html");
  auto json = read_all(root.parent_path() / "shared" / "corpus" / "ctgov-v2", ".json");

  std::printf("parse throughput, one core, %.1f s of CPU time per measurement, taking turns\n",
              seconds);
  if (only == "json") html.clear();
  if (only == "html") json.clear();
  if (!html.empty()) {
    compare("HTML", html, seconds, "bare Gumbo parse (floor)", [](const std::string& page) {
      GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, page.data(), page.size());
      sink = sink + out->root->v.element.children.length;
      gumbo_destroy_output(&kGumboDefaultOptions, out);
    });
  }
  if (!json.empty()) {
    compare("API v2 JSON (one study per file)", json, seconds, "bare RapidJSON parse (floor)",
            [](const std::string& page) {
              rapidjson::Document doc;
              doc.Parse(page.data(), page.size());
              sink = sink + doc.MemberCount();
            });
  } else if (only != "html") {
    std::printf("API v2 JSON: ../shared/corpus/ctgov-v2 not present, skipped\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_program(
      make_command<Options>(
          {"trialmill-bench-parse", "parse throughput against bare Gumbo and RapidJSON",
           "[SOURCE_DIR [SECONDS [html|json]]]",
           "Parse throughput on one core against its floor in the same run: fixtures/html through\n"
           "trialmill (parse, parse + normalize) vs bare Gumbo; ../shared/corpus/ctgov-v2 vs bare\n"
           "RapidJSON. SOURCE_DIR is the repository (default: the current directory); SECONDS of\n"
           "CPU time per measurement (default 1.0); html or json measures only that part.\n",
           "  0  measured\n  2  usage error\n"},
          declare_options, run),
      argc, argv);
}
