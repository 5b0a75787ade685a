#include "trialmill/cli.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "trialmill/error.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// The whole of `text` as a decimal number: digits only, no sign, no blanks, no overflow.
std::optional<uint64_t> whole_decimal(const std::string& text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// What is wrong with `text` as a count ("" when nothing), worded to follow the option's name.
std::string positive_count_problem(const std::string& text) {
  auto value = whole_decimal(text);
  if (!value || *value == 0 || *value > SIZE_MAX)
    return str_cat("must be a positive integer, not '", text, "'");
  return {};
}

std::string unsigned_number_problem(const std::string& text) {
  if (!whole_decimal(text)) return str_cat("must be a non-negative integer, not '", text, "'");
  return {};
}

// A CLI11 validator from a check that returns the problem ("" when none). CLI11 puts the
// option's name before the message: "--batch: must be a positive integer, not '0'".
CLI::Validator validator(std::string (*problem)(const std::string&), const std::string& name) {
  return CLI::Validator([problem](std::string& text) { return problem(text); }, "", name);
}

}  // namespace

uint64_t parse_unsigned_option(const std::string& option, const std::string& text) {
  if (auto problem = unsigned_number_problem(text); !problem.empty())
    throw UsageError(str_cat("--", option, " ", problem));
  return *whole_decimal(text);
}

size_t parse_positive_count(const std::string& option, const std::string& text) {
  if (auto problem = positive_count_problem(text); !problem.empty())
    throw UsageError(str_cat("--", option, " ", problem));
  return static_cast<size_t>(*whole_decimal(text));
}

CLI::Validator positive_count() {
  return validator(positive_count_problem, "POSITIVE");
}
CLI::Validator unsigned_number() {
  return validator(unsigned_number_problem, "NUMBER");
}

CLI::Validator iso_date() {
  return validator(
      [](const std::string& text) {
        return is_iso_date(text) ? std::string()
                                 : str_cat("wants a date as YYYY-MM-DD, not ", text);
      },
      "DATE");
}

CLI::Validator source_format() {
  return validator(
      [](const std::string& text) {
        return in_vocabulary(Vocabulary::source_format, text) ? std::string()
                                                              : str_cat("unknown format ", text);
      },
      "FORMAT");
}

CLI::Validator nct_id() {
  return CLI::Validator(
      [](std::string& text) {
        std::string upper = to_upper(text);
        if (!is_nct_id(upper)) return str_cat("not an NCT ID: '", text, "'");
        text = upper;
        return std::string();
      },
      "", "NCT_ID");
}

CLI::Option* add_optional(CLI::App& app, const std::string& names,
                          std::optional<std::string>& value, const std::string& help,
                          const std::string& value_name) {
  return app
      .add_option_function<std::string>(
          names, [&value](const std::string& text) { value = text; }, help)
      ->type_name(value_name);
}

CLI::Option* add_repeatable(CLI::App& app, const std::string& names,
                            std::vector<std::string>& values, const std::string& help,
                            const std::string& value_name) {
  return app.add_option(names, values, help)->type_name(value_name)->allow_extra_args(false);
}

CLI::Option* add_db_option(CLI::App& app, std::string& db, const std::string& help) {
  return app.add_option("--db", db, help)->type_name("PATH")->required();
}

CLI::Option* add_batch_option(CLI::App& app, size_t& batch) {
  return app.add_option("--batch", batch, "records per transaction (default 500)")
      ->type_name("N")
      ->check(positive_count());
}

CLI::Option* add_format_option(CLI::App& app, std::optional<std::string>& format,
                               const std::string& help) {
  return add_optional(app, "-f,--format", format, help, "FORMAT")->check(source_format());
}

CLI::Option* add_nct_ids(CLI::App& app, std::vector<std::string>& ids, const std::string& help) {
  return app.add_option("NCT_ID", ids, help)->type_name("NCT_ID")->transform(nct_id());
}

void drop_repeats(std::vector<std::string>& values) {
  std::set<std::string> seen;
  std::erase_if(values, [&](const std::string& v) { return !seen.insert(v).second; });
}

}  // namespace trialmill
