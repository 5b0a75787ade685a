#include "trialmill/normalize/normalize_command.hpp"

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/normalize/normalize_warnings.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

std::vector<OptionSpec> normalize_option_specs() {
  return common_options();
}

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
      JsonDocument parsed = parse_json_line(line, "parsed record");
      // Only a well-formed ID names the record in messages: a hostile one could be megabytes.
      if (parsed.IsObject())
        if (auto id = get_string(parsed, "nct_id"); id && is_nct_id(*id)) nct_id = *id;
      // Normalizing reads values as C strings, which would end at a NUL: refused, never cut.
      if (size_t at = find_bad_unicode_escape(line.text, true); at != std::string::npos)
        throw make_error("parsed record: NUL character (\\u0000) in a string at offset ", at);
      JsonDocument record = normalize_record(parsed);
      if (auto id = get_string(record, "nct_id"); id && is_nct_id(*id)) nct_id = *id;
      log_normalize_warnings(str_cat(where, " ", nct_id), record);
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
