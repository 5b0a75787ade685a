#include "trialmill/normalize/age.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "trialmill/text.hpp"

namespace trialmill {
namespace {

std::optional<std::string> unit_of(std::string_view word) {
  std::string w = to_lower(word);
  if (w == "year" || w == "years" || w == "yr" || w == "yrs" || w == "y") return "YEARS";
  if (w == "month" || w == "months" || w == "mo" || w == "mos") return "MONTHS";
  if (w == "week" || w == "weeks" || w == "wk" || w == "wks") return "WEEKS";
  if (w == "day" || w == "days") return "DAYS";
  if (w == "hour" || w == "hours" || w == "hr" || w == "hrs") return "HOURS";
  if (w == "minute" || w == "minutes" || w == "min" || w == "mins") return "MINUTES";
  return std::nullopt;
}

struct Token {
  enum Kind { number, word, plus, dash } kind;
  std::string text;
};

// Numbers, words, '+' and '-'; everything in brackets ("(Adult, Older Adult)") is dropped.
std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  int depth = 0;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '(' || c == '[') { ++depth; ++i; continue; }
    if ((c == ')' || c == ']') && depth > 0) { --depth; ++i; continue; }
    if (depth > 0) { ++i; continue; }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      out.push_back({Token::number, std::string(s.substr(i, j - i))});
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::word, to_lower(s.substr(i, j - i))});
      i = j;
    } else if (c == '+') {
      out.push_back({Token::plus, "+"});
      ++i;
    } else if (c == '-') {
      out.push_back({Token::dash, "-"});
      ++i;
    } else if (s.substr(i).starts_with("\u2013") || s.substr(i).starts_with("\u2014")) {
      out.push_back({Token::dash, "-"});  // en/em dash
      i += 3;
    } else if (s.substr(i).starts_with("\u2265")) {
      out.push_back({Token::plus, "+"});  // "≥ 18 years"
      i += 3;
    } else {
      ++i;
    }
  }
  return out;
}

bool is_no_limit(const std::string& key) {
  return key.empty() || key == "n a" || key == "na" || key == "no limit" || key == "none" ||
         key == "not applicable" || key == "no minimum" || key == "no maximum" ||
         key == "no age limit" || key == "not specified";
}

}  // namespace

AgeResult parse_age(std::string_view raw, AgeBound bound) {
  AgeResult result;
  if (is_no_limit(fold_key(raw))) {
    result.recognized = true;
    return result;
  }
  struct Part {
    double value;
    std::optional<std::string> unit;
  };
  std::vector<Part> parts;
  bool open_ended = false;  // "18+", "18 and older", "18 Years - undefined"
  bool range = false;
  std::vector<Token> tokens = tokenize(raw);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::number) {
      char* end = nullptr;
      double v = std::strtod(t.text.c_str(), &end);
      if (end == t.text.c_str()) return result;
      parts.push_back({v, std::nullopt});
    } else if (t.kind == Token::plus) {
      open_ended = true;  // "18+" or a leading "≥"

    } else if (t.kind == Token::dash) {
      range = true;
    } else if (auto unit = unit_of(t.text)) {
      if (parts.empty() || parts.back().unit) return result;
      parts.back().unit = unit;
    } else if (t.text == "to") {
      range = true;
    } else if (t.text == "and" || t.text == "or") {
      // "18 and older", "18 years or above"
    } else if (t.text == "older" || t.text == "above" || t.text == "over" || t.text == "up" ||
               t.text == "undefined" || t.text == "plus") {
      open_ended = true;
    } else if (t.text == "old" || t.text == "of" || t.text == "age" || t.text == "aged" ||
               t.text == "ages") {
    } else {
      return result;  // unknown word: do not guess
    }
  }
  if (parts.empty() || parts.size() > 2) return result;
  if (parts.size() == 2 && !range) return result;
  if (parts.size() == 1 && range && !open_ended) return result;  // "18 -" with nothing after
  // "18 to 70 years": the unit given once applies to both ends.
  if (parts.size() == 2) {
    if (!parts[0].unit) parts[0].unit = parts[1].unit;
    if (!parts[1].unit) parts[1].unit = parts[0].unit;
  }
  for (auto& p : parts)
    if (!p.unit) return result;  // a bare number has no unit to report
  result.recognized = true;
  const Part* chosen = nullptr;
  if (parts.size() == 2) {
    chosen = bound == AgeBound::minimum ? &parts[0] : &parts[1];
  } else if (open_ended) {
    if (bound == AgeBound::minimum) chosen = &parts[0];
  } else {
    chosen = &parts[0];
  }
  if (chosen) result.age = Age{chosen->value, *chosen->unit};
  return result;
}

double age_in_years(const Age& age) {
  double years = age.value;
  if (age.unit == "MONTHS") years = age.value / 12.0;
  else if (age.unit == "WEEKS") years = age.value * 7.0 / 365.25;
  else if (age.unit == "DAYS") years = age.value / 365.25;
  else if (age.unit == "HOURS") years = age.value / 24.0 / 365.25;
  else if (age.unit == "MINUTES") years = age.value / 1440.0 / 365.25;
  return std::round(years * 10000.0) / 10000.0;
}

}  // namespace trialmill
