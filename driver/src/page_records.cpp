#include "trialmill/driver/page_records.hpp"

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

PageRecordsOutcome page_to_records(const PageInput& input, const std::string& path,
                                   const std::function<void(JsonDocument&&)>& emit) {
  PageRecordsOutcome outcome;
  auto normalize = [&](JsonDocument&& parsed) {
    std::string nct_id = get_string_or(parsed, "nct_id", "");
    std::string where = nct_id.empty() ? input.name : str_cat(input.name, " ", nct_id);
    try {
      JsonDocument record = normalize_record(parsed);
      if (const JsonValue* warnings = find_member(record, "normalize_warnings");
          warnings && warnings->IsArray()) {
        for (const auto& w : warnings->GetArray())
          log_warning(where, str_cat(get_string_or(w, "field", "?"), ": ",
                                     get_string_or(w, "message", ""), ": ",
                                     json_quote(get_string_or(w, "raw", ""))));
      }
      ++outcome.records;
      emit(std::move(record));
    } catch (const Error& e) {
      log_error(where, e.what());
      ++outcome.failed;
    }
  };
  try {
    MappedFile file(path);
    parse_page_records(file.bytes(), input, normalize, [&](std::string&& message) {
      log_error(input.name, message);
      ++outcome.failed;
    });
  } catch (const Error& e) {
    log_error(input.name, e.what());
    ++outcome.failed;
  }
  return outcome;
}

}  // namespace trialmill
