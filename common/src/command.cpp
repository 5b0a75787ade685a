#include "trialmill/command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "trialmill/cli.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

int exit_code_for(const std::exception& error) {
  if (dynamic_cast<const UsageError*>(&error)) return kExitUsage;
  if (dynamic_cast<const StartError*>(&error)) return kExitUsage;
  return kExitInputsFailed;
}

namespace {

std::string& version_note() {
  static std::string note;
  return note;
}

}  // namespace

void set_version_note(std::string note) {
  version_note() = std::move(note);
}

std::string version_line(const std::string& program) {
  return str_cat(program, " ", TRIALMILL_VERSION, version_note());
}

namespace {

// --quiet and --log-format, which every command accepts.
struct CommonOptions {
  bool quiet = false;
  std::string log_format = "text";
};

void configure_app(CLI::App& app) {
  app.set_help_flag("-h,--help", "show this help and exit");
  app.set_version_flag("--version", TRIALMILL_VERSION, "show the version and exit");
}

void add_common_options(CLI::App& app, CommonOptions& common) {
  app.add_flag("-q,--quiet", common.quiet, "only errors on stderr");
  app.add_option("--log-format", common.log_format, "log lines as 'text' (default) or 'json'")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json"}).description(""));
}

void apply_common_options(const CommonOptions& common, const std::string& program) {
  LogConfig config;
  config.program = program;
  if (common.quiet) config.min_level = LogLevel::error;
  if (common.log_format == "json") config.format = LogFormat::json;
  log_configure(config);
}

// CLI11 wants the words last first.
void parse_words(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    throw;
  } catch (const CLI::CallForVersion&) {
    throw;
  } catch (const CLI::RequiredError& e) {
    // CLI11 checks what is missing before what is unknown; an unknown option says more (it may
    // be the missing one misspelt).
    for (const auto& word : args) {
      if (word == "--") break;
      size_t letter = word.find_first_not_of('-');
      if (word[0] != '-' || letter == std::string::npos ||
          !std::isalpha(static_cast<unsigned char>(word[letter])))
        continue;
      std::string name = word.substr(0, word.find('='));
      if (letter == 1) name = name.substr(0, 2);  // -qh: -q
      if (!app.get_option_no_throw(name))
        throw UsageError(str_cat("The following argument was not expected: ", name));
    }
    throw UsageError(e.what());
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what());
  }
}

std::string options_help(const CLI::App& app) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::pair<std::string, std::string>> last;  // --help and --version close the list
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) continue;
    std::string left = "  ";
    left +=
        option->get_snames().empty() ? "    " : str_cat("-", option->get_snames().front(), ", ");
    left += "--" + option->get_lnames().front();
    if (option->get_items_expected_max() > 0) left += " " + option->get_type_name();
    bool closing = option == app.get_help_ptr() || option->get_lnames().front() == "version";
    (closing ? last : rows).emplace_back(left, option->get_description());
  }
  rows.insert(rows.end(), last.begin(), last.end());
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  std::string out;
  for (const auto& [left, help] : rows)
    out += left + std::string(width + 2 - left.size(), ' ') + help + "\n";
  return out;
}

std::string help_text(const CLI::App& app, const CommandText& text, const std::string& program) {
  std::string usage = "Usage: " + program + " " + text.synopsis;
  // Continuation lines of the synopsis line up under its first word.
  usage = replace_all(usage, "\n", "\n" + std::string(program.size() + 8, ' '));
  return str_cat(usage, "\n\n", text.description, text.description.empty() ? "" : "\n",
                 "Options:\n", options_help(app), "\nExit status:\n", text.exit_status);
}

}  // namespace

void parse_declared(const std::function<void(CLI::App&)>& declare,
                    const std::vector<std::string>& args) {
  CLI::App app;
  configure_app(app);
  declare(app);
  CommonOptions common;
  add_common_options(app, common);
  try {
    parse_words(app, args);
  } catch (const CLI::Success&) {
    // --help or --version: nothing to check.
  }
}

std::string command_help(const Command& command, const std::string& program) {
  CLI::App app(command.text.summary, program);
  configure_app(app);
  auto body = command.bind(app, program);
  CommonOptions common;
  add_common_options(app, common);
  return help_text(app, command.text, program);
}

int run_program(const Command& command, const std::string& program,
                const std::vector<std::string>& args) {
  log_configure({program});
  try {
    CLI::App app(command.text.summary, program);
    configure_app(app);
    std::vector<std::string> words = {program};
    words.insert(words.end(), args.begin(), args.end());
    auto body = command.bind(app, join(words, " "));
    CommonOptions common;
    add_common_options(app, common);
    try {
      parse_words(app, args);
    } catch (const CLI::CallForHelp&) {
      std::string help = help_text(app, command.text, program);
      std::fwrite(help.data(), 1, help.size(), stdout);
      return kExitOk;
    } catch (const CLI::CallForVersion&) {
      std::printf("%s\n", version_line(program).c_str());
      return kExitOk;
    }
    apply_common_options(common, program);
    return body();
  } catch (const std::exception& e) {
    log_status_clear();
    int code = exit_code_for(e);
    if (dynamic_cast<const UsageError*>(&e))
      log_error({}, str_cat(e.what(), " (see '", program, " --help')"));
    else if (dynamic_cast<const StartError*>(&e))
      log_error({}, str_cat("cannot start: ", e.what()));
    else
      log_error({}, e.what());
    return code;
  }
}

int run_program(const Command& command, int argc, char** argv) {
  return run_program(command, command.text.name, std::vector<std::string>(argv + 1, argv + argc));
}

std::string subcommands_help(const CommandText& text, const std::vector<Command>& commands) {
  std::string out = str_cat("Usage: ", text.name, " ", text.synopsis, "\n\n", text.description,
                            text.description.empty() ? "" : "\n", "Subcommands:\n");
  for (const auto& command : commands) {
    std::string name = "  " + command.text.name;
    if (name.size() < 14) name.resize(14, ' ');
    out += name + command.text.summary + "\n";
  }
  return str_cat(out, "\n'", text.name, " SUBCOMMAND --help' describes a subcommand.\n\n",
                 "Exit status:\n", text.exit_status);
}

int run_program_of_subcommands(const CommandText& text, const std::vector<Command>& commands,
                               const std::vector<std::string>& args) {
  log_configure({text.name});
  const std::string hint = str_cat(" (see '", text.name, " --help')");
  if (args.empty()) {
    log_error({}, "no subcommand" + hint);
    return kExitUsage;
  }
  const std::string& word = args.front();
  if (word == "--help" || word == "-h" || word == "help") {
    std::string help = subcommands_help(text, commands);
    std::fwrite(help.data(), 1, help.size(), stdout);
    return kExitOk;
  }
  if (word == "--version") {
    std::printf("%s\n", version_line(text.name).c_str());
    return kExitOk;
  }
  for (const auto& command : commands)
    if (command.text.name == word)
      return run_program(command, str_cat(text.name, " ", word),
                         std::vector<std::string>(args.begin() + 1, args.end()));
  log_error({}, str_cat("unknown subcommand '", word, "'", hint));
  return kExitUsage;
}

}  // namespace trialmill
