#include "trialmill/normalize/date.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

int month_number(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string w = to_lower(word);
  if (w == "sept") return 9;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (w == kMonths[i]) return static_cast<int>(i) + 1;
    if (w.size() == 3 && kMonths[i].substr(0, 3) == w) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

std::optional<std::string> format(int year, int month, int day) {
  if (year < 1800 || year > 2200) return std::nullopt;
  if (month == 0) return std::to_string(year);
  if (month < 1 || month > 12) return std::nullopt;
  std::string ym = std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month);
  if (day == 0) return ym;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return ym + (day < 10 ? "-0" : "-") + std::to_string(day);
}

}  // namespace

std::optional<std::string> parse_date(std::string_view raw) {
  std::string text = collapse_whitespace(raw);
  if (text.empty()) return std::nullopt;
  // ISO forms first: 2019, 2019-01, 2019-01-03.
  std::vector<std::string_view> dash = split(text, '-');
  if (dash.size() <= 3 && dash[0].size() == 4 && all_digits(dash[0])) {
    bool ok = true;
    for (size_t i = 1; i < dash.size(); ++i) ok = ok && dash[i].size() == 2 && all_digits(dash[i]);
    if (ok) {
      return format(to_int(dash[0]), dash.size() > 1 ? to_int(dash[1]) : 0,
                    dash.size() > 2 ? to_int(dash[2]) : 0);
    }
  }
  // Words: "January 3, 2019", "29 July 2025", "Dec 2018", "Jan. 2019".
  std::vector<std::string> words;
  std::string cur;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '.') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) words.push_back(cur);
  int year = 0, month = 0, day = 0;
  for (const auto& w : words) {
    if (all_digits(w) && w.size() == 4 && year == 0) {
      year = to_int(w);
    } else if (all_digits(w) && w.size() <= 2 && day == 0 && year == 0) {
      day = to_int(w);
    } else if (int m = month_number(w); m != 0 && month == 0) {
      month = m;
    } else {
      return std::nullopt;
    }
  }
  if (year == 0 || month == 0 || day < 0) return std::nullopt;
  if (day == 0 && words.size() != 2) return std::nullopt;
  return format(year, month, day == 0 ? 0 : day);
}

}  // namespace trialmill
