#include "trialmill/normalize/normalize_warnings.hpp"

#include <string>

#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// A raw value as far as a log line needs it, cut on a character boundary.
std::string clip(std::string s) {
  constexpr size_t kMax = 300;
  if (s.size() <= kMax) return s;
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  return s + "...";
}

}  // namespace

void log_normalize_warnings(std::string_view where, const JsonValue& record) {
  const JsonValue* warnings = find_member(record, "normalize_warnings");
  if (!warnings || !warnings->IsArray()) return;
  for (const auto& w : warnings->GetArray())
    log_warning(where,
                str_cat(get_string_or(w, "field", "?"), ": ", get_string_or(w, "message", ""), ": ",
                        json_quote(clip(get_string_or(w, "raw", "")))));
}

}  // namespace trialmill
