#include "trialmill/cli.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>

#include "trialmill/error.hpp"
#include "trialmill/log.hpp"

namespace trialmill {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
  auto find_long = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& s : specs)
      if (s.name == name) return &s;
    return nullptr;
  };
  auto find_short = [&](char c) -> const OptionSpec* {
    for (const auto& s : specs)
      if (s.short_name == c) return &s;
    return nullptr;
  };
  ParsedArgs out;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    std::string shown = arg;
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
        shown = "--" + name;
      }
      if (name == "help" || name == "version") {
        out.flags.insert(name);
        continue;
      }
      spec = find_long(name);
    } else if (arg.size() == 2) {
      if (arg[1] == 'h') {
        out.flags.insert("help");
        continue;
      }
      spec = find_short(arg[1]);
    }
    if (!spec) throw UsageError(str_cat("unknown option ", shown));
    if (!spec->takes_value) {
      if (inline_value) throw UsageError(str_cat("option --", spec->name, " takes no value"));
      out.flags.insert(spec->name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) throw UsageError(str_cat("option --", spec->name, " needs a value"));
      inline_value = args[++i];
    }
    out.values[spec->name].push_back(*inline_value);
  }
  return out;
}

ParsedArgs parse_args(int argc, char** argv, const std::vector<OptionSpec>& specs) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return parse_args(args, specs);
}

namespace {

// The whole of `text` as a decimal number: digits only, no sign, no blanks, no overflow.
std::optional<uint64_t> whole_decimal(const std::string& text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

uint64_t parse_unsigned_option(const std::string& option, const std::string& text) {
  auto value = whole_decimal(text);
  if (!value) throw UsageError(str_cat("--", option, " must be a non-negative integer, not '", text, "'"));
  return *value;
}

size_t parse_positive_count(const std::string& option, const std::string& text) {
  auto value = whole_decimal(text);
  if (!value || *value == 0 || *value > SIZE_MAX)
    throw UsageError(str_cat("--", option, " must be a positive integer, not '", text, "'"));
  return static_cast<size_t>(*value);
}

std::string format_options_help(const std::vector<OptionSpec>& specs) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& s : specs) {
    std::string left = "  ";
    left += s.short_name ? str_cat("-", s.short_name, ", ") : "    ";
    left += "--" + s.name;
    if (s.takes_value) left += " " + s.value_name;
    rows.emplace_back(left, s.help);
  }
  rows.emplace_back("  -h, --help", "show this help and exit");
  rows.emplace_back("      --version", "show the version and exit");
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::string out;
  for (const auto& r : rows) out += r.first + std::string(width + 2 - r.first.size(), ' ') + r.second + "\n";
  return out;
}

std::vector<OptionSpec> common_options() {
  return {
      {"quiet", 'q', false, "only errors on stderr"},
      {"log-format", 0, true, "log lines as 'text' (default) or 'json'", "FORMAT"},
  };
}

void apply_common_options(const ParsedArgs& args, const std::string& program) {
  LogConfig config;
  config.program = program;
  if (args.has("quiet")) config.min_level = LogLevel::error;
  if (auto fmt = args.value("log-format")) {
    if (*fmt == "json") config.format = LogFormat::json;
    else if (*fmt != "text") throw UsageError(str_cat("--log-format must be text or json, not ", *fmt));
  }
  log_configure(config);
}

int run_command(int argc, char** argv, const std::string& program, const std::vector<OptionSpec>& specs,
                const std::function<std::string()>& usage,
                const std::function<int(const std::vector<std::string>& args)>& body) {
  log_configure({program});
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    ParsedArgs parsed = parse_args(args, specs);
    apply_common_options(parsed, program);
    if (parsed.has("help")) {
      std::fputs(usage().c_str(), stdout);
      return kExitOk;
    }
    if (parsed.has("version")) {
      std::printf("%s %s\n", program.c_str(), TRIALMILL_VERSION);
      return kExitOk;
    }
    return body(args);
  } catch (const UsageError& e) {
    log_error({}, e.what());
    std::fprintf(stderr, "Try '%s --help'.\n", program.c_str());
    return kExitUsage;
  } catch (const std::exception& e) {
    log_error({}, e.what());
    return kExitInputsFailed;
  }
}

}  // namespace trialmill
