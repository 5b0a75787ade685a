// The command framework (common/command.hpp, common/cli.hpp): options declared once on CLI11,
// parsed once into the options struct, numeric values checked before CLI11 converts them. The
// executables' own command lines are covered end to end by the golden cases in tests/cli/.
#include <doctest/doctest.h>

#include "trialmill/cli.hpp"
#include "trialmill/command.hpp"
#include "trialmill/error.hpp"
#include "trialmill/store/schema.hpp"

using namespace trialmill;

TEST_CASE("cli: numeric option values are whole decimal numbers, counts positive") {
  CHECK(parse_positive_count("batch", "500") == 500);
  CHECK(parse_unsigned_option("seed", "0") == 0);
  CHECK(parse_unsigned_option("seed", "18446744073709551615") == 18446744073709551615ULL);
  for (const char* bad :
       {"0", "", "-1", "+1", " 5", "5 ", "5x", "1e3", "0x10", "99999999999999999999"})
    CHECK_THROWS_WITH_AS(
        parse_positive_count("batch", bad),
        ("--batch must be a positive integer, not '" + std::string(bad) + "'").c_str(), UsageError);
  for (const char* bad : {"", "-1", "x", "18446744073709551616"})
    CHECK_THROWS_AS(parse_unsigned_option("seed", bad), UsageError);
}

namespace {

struct Example {
  size_t count = 7;
  std::optional<std::string> name;
  std::vector<std::string> tags;
  std::vector<std::string> files;
  bool flag = false;
};

void declare_example(CLI::App& app, Example& o) {
  app.add_option("--count", o.count, "n")->type_name("N")->check(positive_count());
  add_optional(app, "-n,--name", o.name, "a name", "NAME");
  add_repeatable(app, "--tag", o.tags, "a tag (repeatable)", "TAG");
  app.add_flag("--flag", o.flag, "a flag");
  app.add_option("FILE", o.files, "files");
}

int run_example(const Example& o) {
  return o.flag ? kExitInputsFailed : kExitOk;
}

}  // namespace

TEST_CASE("cli: options are parsed once into the struct; positionals, values and flags apart") {
  Example o = parse_options(declare_example,
                            {"--count=3", "--tag", "a", "b", "--tag=c", "-q", "--", "--count"});
  CHECK(o.count == 3);
  CHECK(o.tags == std::vector<std::string>{"a", "c"});  // one value an occurrence: b is a FILE
  CHECK(o.files == std::vector<std::string>{"b", "--count"});
  CHECK(!o.name);
  CHECK(parse_options(declare_example, {"-n", "x"}).name == "x");
  CHECK(parse_options(declare_example, {}).count == 7);
  for (std::vector<std::string> bad : {std::vector<std::string>{"--bogus"},
                                       {"--count"},
                                       {"--count", "0"},
                                       {"--count", "-1"},
                                       {"--count", "0x10"},
                                       {"--log-format", "xml"}}) {
    CAPTURE(bad.front());
    CHECK_THROWS_AS(parse_options(declare_example, bad), UsageError);
  }
  CHECK_THROWS_WITH_AS(parse_options(declare_example, {"--count", "1e3"}),
                       "--count: must be a positive integer, not '1e3'", UsageError);
}

TEST_CASE("cli: run_program answers --help from the declarations and maps errors to exit codes") {
  Command command = make_command<Example>(
      {"example", "an example", "[--count N] [FILE...]", "Does nothing.\n", "  0  ok\n"},
      declare_example, run_example);
  std::string help = command_help(command, "trialmill example");
  CHECK(help.find("Usage: trialmill example [--count N] [FILE...]\n\nDoes nothing.\n") == 0);
  // One row an option: its names, then its help in the column after the widest names.
  auto row = [](std::string names, const std::string& text) {
    names.resize(std::string("      --log-format FORMAT  ").size(), ' ');
    return "\n" + names + text + "\n";
  };
  CHECK(help.find(row("      --count N", "n")) != std::string::npos);
  CHECK(help.find(row("  -n, --name NAME", "a name")) != std::string::npos);
  CHECK(help.find(row("  -q, --quiet", "only errors on stderr")) != std::string::npos);
  CHECK(help.find(row("  -h, --help", "show this help and exit")) != std::string::npos);
  CHECK(help.find("--flag") < help.find("--quiet"));       // the command's own options first
  CHECK(help.find("--help") > help.find("--log-format"));  // --help and --version last
  CHECK(help.find("Exit status:\n  0  ok\n") != std::string::npos);

  CHECK(run_program(command, "example", {"--quiet"}) == kExitOk);
  CHECK(run_program(command, "example", {"--flag", "--quiet"}) == kExitInputsFailed);
  CHECK(run_program(command, "example", {"--count", "0", "--quiet"}) == kExitUsage);

  CHECK(exit_code_for(UsageError("x")) == kExitUsage);
  CHECK(exit_code_for(StartError("x")) == kExitUsage);
  CHECK(exit_code_for(DatabaseError("x")) == kExitUsage);
  CHECK(exit_code_for(Error("x")) == kExitInputsFailed);
  CHECK(exit_code_for(std::runtime_error("x")) == kExitInputsFailed);
}
