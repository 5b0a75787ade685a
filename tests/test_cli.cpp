// The shared command-line helpers: options parsed apart from any I/O.
#include <doctest/doctest.h>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"

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

TEST_CASE(
    "cli: parse_args keeps positionals, values and flags apart, and refuses what it does not "
    "know") {
  std::vector<OptionSpec> specs = {{"count", 0, true, "n", "N"}, {"quiet", 'q', false, "q"}};
  ParsedArgs args =
      parse_args(std::vector<std::string>{"--count=3", "-q", "a", "--", "--count"}, specs);
  CHECK(args.value("count") == "3");
  CHECK(args.has("quiet"));
  CHECK(args.positional == std::vector<std::string>{"a", "--count"});
  CHECK_THROWS_AS(parse_args(std::vector<std::string>{"--bogus"}, specs), UsageError);
  CHECK_THROWS_AS(parse_args(std::vector<std::string>{"--count"}, specs), UsageError);
  CHECK(parse_args(std::vector<std::string>{"--help"}, specs).has("help"));
}
