// Value shapes. Each test is about the form of a value as any site writes it, so that a label
// matched in the wrong place (a help text, a heading of the same name, a menu entry) gives a
// value that fails and is dropped instead of a wrong field.
#include "trialmill/parse/value_shapes.hpp"

#include <array>
#include <cctype>

#include "trialmill/parse/page_kind.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

size_t word_count(std::string_view s) {
  size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = is_space(c);
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// Words that open running text on trial pages and never a trial's title.
constexpr std::array<std::string_view, 24> kProseOpeners = {
    "this ",         "these ",         "we ",
    "you ",          "your ",          "our ",
    "if ",           "please ",        "click ",
    "browse ",       "use the ",       "learn ",
    "read ",         "note:",          "it ",
    "there ",        "the purpose of", "the goal of",
    "the aim of",    "in this study",  "participants will",
    "patients will", "here ",          "see below"};

}  // namespace

bool looks_like_prose(std::string_view line) {
  std::string_view t = trim(line);
  for (auto opener : kProseOpeners)
    if (istarts_with(t, opener)) return true;
  // Two sentences: ". " followed by a capital letter, past the first few characters ("St. ",
  // "Dr. " and "vs. " are abbreviations inside titles).
  for (size_t at = t.find(". "); at != std::string_view::npos; at = t.find(". ", at + 1)) {
    if (at + 2 >= t.size() || !is_upper(t[at + 2])) continue;
    size_t word_start = t.rfind(' ', at);
    std::string_view word =
        t.substr(word_start == std::string_view::npos ? 0 : word_start + 1,
                 at - (word_start == std::string_view::npos ? 0 : word_start + 1));
    if (word.size() > 3) return true;
  }
  bool sentence_end = !t.empty() && (t.back() == '.' || t.back() == '!' || t.back() == '?');
  if (sentence_end) {
    for (std::string_view verb : {" will ", " is ", " are ", " was ", " were ", " may ", " can ",
                                  " we ", " you ", " have ", " has "})
      if (icontains(t, verb)) return true;
  }
  // Running text without its full stop: a verb in the middle of many words.
  if (word_count(t) >= 8)
    for (std::string_view verb :
         {" is ", " are ", " will ", " was ", " were ", " you ", " we ", " your "})
      if (t.find(verb) != std::string_view::npos) return true;
  return t.size() > 600;
}

std::optional<std::string> title_defect(std::string_view line, bool labelled) {
  std::string_view t = trim(line);
  if (t.size() < 10) return std::string("too short for a title");
  if (word_count(t) < 3) return std::string("too few words for a title");
  if (t.size() > 600) return std::string("too long for a title");
  if (t.find('<') != std::string_view::npos && t.find('>') != std::string_view::npos)
    return std::string("markup, not a title");
  if (t.find('{') != std::string_view::npos || icontains(t, "http://") || icontains(t, "https://"))
    return std::string("code or address, not a title");
  if (is_chrome_line(t))
    return std::string("site chrome (cookie notice, menu, site notice), not a title");
  if (istarts_with(t, "• ") || istarts_with(t, "- ") || istarts_with(t, "* ") ||
      istarts_with(t, "← ") || istarts_with(t, "↑ "))
    return std::string("a list item or link, not a title");
  if (std::isdigit(static_cast<unsigned char>(t[0]))) {
    size_t i = 0;
    while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
    if (i < t.size() && t[i - 1] == '.' && t[i] == ' ')
      return std::string("a numbered item, not a title");
  }
  if (t.back() == '?' || (t.size() > 2 && t[t.size() - 2] == '?'))
    return std::string("a question, not a title");
  if (t.front() == '"' || istarts_with(t, "\xE2\x80\x9C"))
    return std::string("a quotation, not a title");
  if (t.back() == ':' ||
      (t.size() >= 3 && t.substr(t.size() - 3) == "\xEF\xBC\x9A"))  // ':' or '：'
    return std::string("a label, not a title");
  if (istarts_with(t, "see ") && word_count(t) <= 4)
    return std::string("a pointer to another field, not a title");
  // Scripts written without spaces between words (Chinese, Japanese): spaces in such a line
  // separate menu entries run together, not words of a title.
  {
    size_t wide = 0, spaces = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      auto c = static_cast<unsigned char>(t[i]);
      if (c >= 0xE3 && c <= 0xE9) ++wide;  // lead bytes of CJK ideographs and kana
      if (c == ' ') ++spaces;
    }
    if (wide >= 4 && spaces >= 3) return std::string("a run of menu entries, not a title");
  }
  if (!labelled && looks_like_prose(t)) return std::string("a sentence of prose, not a title");
  if (t[0] >= 'a' && t[0] <= 'z' && !labelled)
    return std::string("a fragment of a sentence, not a title");
  size_t letters = 0;
  for (char c : t)
    if (std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80)
      ++letters;
  if (letters * 2 < t.size()) return std::string("mostly not letters, not a title");
  return std::nullopt;
}

bool looks_like_title(std::string_view line) {
  return !title_defect(line);
}

std::string clean_title(std::string_view line) {
  std::string t = collapse_whitespace(trim(line));
  // "Title | Site name": the part after the last bar is the site's, when it is short.
  for (std::string_view sep : {" | ", " – ", " — ", " - "}) {
    size_t at = t.rfind(sep);
    if (at == std::string::npos || at < 20) continue;
    std::string_view tail = std::string_view(t).substr(at + sep.size());
    bool site_like = sep == " | "
                         ? word_count(tail) <= 6
                         : (icontains(tail, "clinical trial") || icontains(tail, "cancer center") ||
                            icontains(tail, "hospital") || icontains(tail, "health") ||
                            icontains(tail, "medicine") || icontains(tail, "university") ||
                            icontains(tail, "institute")) &&
                               word_count(tail) <= 6;
    if (site_like) t.resize(at);
  }
  // "NCT01822275 : Title": the page's ID before its title.
  if (t.size() > 14 && is_nct_id(std::string_view(t).substr(0, 11))) {
    std::string_view rest = trim(std::string_view(t).substr(11));
    while (!rest.empty() && (rest.front() == ':' || rest.front() == '-' || rest.front() == '|'))
      rest = trim(rest.substr(1));
    t = std::string(rest);
  }
  // "Clinical Trial: Title", "Study Details: Title"
  for (std::string_view prefix : {"clinical trial:", "clinical study:", "study details:",
                                  "trial details:", "study:", "trial:"})
    if (istarts_with(t, prefix)) t = std::string(trim(std::string_view(t).substr(prefix.size())));
  for (std::string_view suffix : {"(print version)", "(printer friendly)", "- print"})
    if (iends_with(t, suffix))
      t = std::string(trim(std::string_view(t).substr(0, t.size() - suffix.size())));
  return t;
}

bool looks_like_enrollment(std::string_view line) {
  std::string_view t = trim(line);
  if (t.empty() || t.size() > 60) return false;
  size_t digits = 0;
  for (char c : t)
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
  return digits > 0 && digits <= 7 && !looks_like_date(t);
}

bool looks_like_date(std::string_view line) {
  std::string_view t = trim(line);
  if (t.size() < 4 || t.size() > 40) return false;
  // A four-digit year 1900-2099 somewhere in it.
  for (size_t i = 0; i + 4 <= t.size(); ++i) {
    if (!(t.compare(i, 2, "19") == 0 || t.compare(i, 2, "20") == 0)) continue;
    if (!std::isdigit(static_cast<unsigned char>(t[i + 2])) ||
        !std::isdigit(static_cast<unsigned char>(t[i + 3])))
      continue;
    bool left = i == 0 || !std::isdigit(static_cast<unsigned char>(t[i - 1]));
    bool right = i + 4 == t.size() || !std::isdigit(static_cast<unsigned char>(t[i + 4]));
    if (left && right) return word_count(t) <= 5;
  }
  return false;
}

bool looks_like_study_type(std::string_view line) {
  std::string key = fold_key(line);
  return istarts_with(key, "interventional") || istarts_with(key, "observational") ||
         istarts_with(key, "expanded access");
}

}  // namespace trialmill
