#include "trialmill/normalize/enrollment.hpp"

#include <cctype>
#include <vector>

#include "trialmill/normalize/vocabulary.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

std::optional<std::string> map_date_type(std::string_view raw) {
  return map_vocabulary(Vocabulary::date_type, raw);
}

std::optional<Enrollment> parse_enrollment(std::string_view raw_count,
                                           std::optional<std::string_view> raw_type) {
  Enrollment out;
  std::optional<int64_t> count;
  std::optional<std::string> type_in_text;
  std::string_view s = trim(raw_count);
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c)) {
      if (count) return std::nullopt;  // two numbers: ambiguous
      int64_t v = 0;
      size_t j = i;
      // "2,016": a comma followed by exactly three digits is a thousands separator.
      while (j < s.size()) {
        if (std::isdigit(static_cast<unsigned char>(s[j]))) {
          if (v > 1'000'000'000) return std::nullopt;
          v = v * 10 + (s[j] - '0');
          ++j;
        } else if (s[j] == ',' && j + 3 < s.size() &&
                   std::isdigit(static_cast<unsigned char>(s[j + 1])) &&
                   std::isdigit(static_cast<unsigned char>(s[j + 2])) &&
                   std::isdigit(static_cast<unsigned char>(s[j + 3])) &&
                   (j + 4 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[j + 4])))) {
          ++j;
        } else {
          break;
        }
      }
      if (j < s.size() && s[j] == '.') return std::nullopt;  // not a whole count
      count = v;
      i = j;
    } else if (std::isalpha(c)) {
      size_t j = i;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      std::string word = to_lower(s.substr(i, j - i));
      if (auto t = map_date_type(word)) {
        type_in_text = t;
      } else if (word != "patients" && word != "participants" && word != "patient" &&
                 word != "participant" && word != "subjects" && word != "people" &&
                 word != "target" && word != "enrollment" && word != "enrolment" &&
                 word != "total" && word != "volunteers" && word != "persons") {
        return std::nullopt;
      }
      i = j;
    } else {
      ++i;
    }
  }
  if (!count) return std::nullopt;
  out.count = *count;
  out.type = type_in_text;
  if (raw_type && !trim(*raw_type).empty()) {
    auto t = map_date_type(*raw_type);
    if (!t) return std::nullopt;
    out.type = t;
  }
  return out;
}

}  // namespace trialmill
