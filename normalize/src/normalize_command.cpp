#include "trialmill/normalize/normalize_command.hpp"

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_record.hpp"

namespace trialmill {

std::vector<OptionSpec> normalize_option_specs() { return common_options(); }

std::string normalize_usage() {
  return str_cat(
      "Usage: trialmill-normalize [OPTIONS] [FILE...]\n"
      "\n"
      "Reads parsed records (JSON Lines, from the FILEs or standard input) and writes one\n"
      "normalized trial record per line to standard output: vocabularies mapped to the\n"
      "contract's enum values, ages, dates and enrollment typed, criteria split into entries.\n"
      "Raw values are kept under \"raw\"; values that match no rule become null and are listed\n"
      "under \"normalize_warnings\" and logged on standard error.\n"
      "\n"
      "Options:\n",
      format_options_help(normalize_option_specs()),
      "\n"
      "EXIT STATUS\n"
      "  0  every input line was normalized\n"
      "  1  some input lines failed (each reported on standard error; the others were written)\n"
      "  2  usage error\n");
}

size_t normalize_stream(std::istream& in, const std::string& input_name, std::ostream& out) {
  size_t failed = 0;
  JsonLineReader reader(in);
  JsonLineReader::Line line;
  while (reader.next(line)) {
    std::string where = str_cat(input_name, ":", line.number);
    std::string nct_id;
    try {
      JsonDocument parsed = parse_json(line.text, "parsed record");
      if (parsed.IsObject())
        if (auto id = get_string(parsed, "nct_id")) nct_id = *id;
      JsonDocument record = normalize_record(parsed);
      nct_id = get_string_or(record, "nct_id", nct_id);
      if (const JsonValue* warnings = find_member(record, "normalize_warnings");
          warnings && warnings->IsArray()) {
        for (const auto& w : warnings->GetArray())
          log_warning(str_cat(where, " ", nct_id),
                      str_cat(get_string_or(w, "field", "?"), ": ", get_string_or(w, "message", ""),
                              ": ", json_quote(get_string_or(w, "raw", ""))));
      }
      out << to_json(record) << '\n';
    } catch (const Error& e) {
      log_error(nct_id.empty() ? where : str_cat(where, " ", nct_id), e.what());
      ++failed;
    }
  }
  out.flush();
  return failed;
}

}  // namespace trialmill
