#pragma once
// Command-line parsing kept apart from I/O so that every command's argument handling is testable.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace trialmill {

struct OptionSpec {
  std::string name;      // long name without dashes: "db"
  char short_name = 0;   // 'o', or 0
  bool takes_value = false;
  std::string help;      // one line for --help
  std::string value_name = "VALUE";
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;  // repeated options keep every value
  std::set<std::string> flags;

  bool has(const std::string& name) const { return flags.count(name) || values.count(name); }
  std::optional<std::string> value(const std::string& name) const;
};

// Parses argv[1..]; "--" ends options; "--name=value" and "--name value" are both accepted.
// Throws UsageError on an unknown option or a missing value. --help and --version are always known.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs);
ParsedArgs parse_args(int argc, char** argv, const std::vector<OptionSpec>& specs);

// The value of option `option` (named in the error, without dashes) as a whole decimal number;
// throws UsageError otherwise. The second refuses 0 as well (counts, batch sizes).
uint64_t parse_unsigned_option(const std::string& option, const std::string& text);
size_t parse_positive_count(const std::string& option, const std::string& text);

// The options block of a --help text.
std::string format_options_help(const std::vector<OptionSpec>& specs);

// Standard options every stage accepts: --quiet, --log-format text|json.
std::vector<OptionSpec> common_options();
// Applies --quiet / --log-format to the logger; throws UsageError on a bad value.
void apply_common_options(const ParsedArgs& args, const std::string& program);

// The edge of a command, caught once here: configures the logger for `program`, parses argv with
// `specs`, answers --help (usage()) and --version, then calls `body`; what escapes becomes the exit
// code — UsageError 2 with a hint, any other exception 1.
int run_command(int argc, char** argv, const std::string& program, const std::vector<OptionSpec>& specs,
                const std::function<std::string()>& usage,
                const std::function<int(const std::vector<std::string>& args)>& body);

}  // namespace trialmill
