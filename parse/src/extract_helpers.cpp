#include "trialmill/parse/extract_helpers.hpp"

#include <array>

#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr std::array<std::string_view, 15> kInterventionTypes = {
    "Drug", "Device", "Biological", "Biologic", "Procedure", "Procedure/Surgery", "Radiation",
    "Behavioral", "Genetic", "Dietary Supplement", "Combination Product", "Diagnostic Test",
    "Other", "Behavioural", "Vaccine"};

constexpr std::array<std::string_view, 7> kArmTypes = {
    "Experimental", "Active Comparator", "Placebo Comparator", "Sham Comparator",
    "No Intervention", "Other", "Placebo"};

constexpr std::array<std::string_view, 20> kStatusWords = {
    "not yet recruiting", "recruiting", "enrolling by invitation", "active not recruiting",
    "suspended", "terminated", "completed", "withdrawn", "available", "no longer available",
    "temporarily not available", "approved for marketing", "withheld", "unknown status",
    "unknown", "enrolling", "not yet enrolling", "active", "closed", "not recruiting"};

}  // namespace

bool is_typed_intervention(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon + 1 >= line.size()) return false;
  std::string_view type = trim(line.substr(0, colon));
  for (auto t : kInterventionTypes)
    if (iequals(type, t)) return true;
  return false;
}

bool split_arm_heading(std::string_view line, std::string& type, std::string& label) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view t = trim(line.substr(0, colon));
  for (auto known : kArmTypes) {
    if (iequals(t, known)) {
      type = std::string(t);
      label = std::string(trim(line.substr(colon + 1)));
      return !label.empty();
    }
  }
  return false;
}

bool is_arm_type_line(std::string_view line) {
  std::string_view t = trim(line);
  if (iends_with(t, " group")) t = trim(t.substr(0, t.size() - 6));
  for (auto known : kArmTypes)
    if (iequals(t, known)) return true;
  return false;
}

bool looks_like_status(std::string_view line) {
  std::string key = fold_key(line);
  for (auto s : kStatusWords)
    if (key == s) return true;
  return false;
}

bool looks_like_phase(std::string_view line) {
  // "Phase 2", "Phase 1/Phase 2", "Phase 2/3", "Early Phase 1", API "PHASE1/PHASE2", "N/A".
  std::string key = fold_key(line);
  if (key == "n a" || key == "na" || key == "not applicable") return true;
  if (key.rfind("early ", 0) == 0) key = key.substr(6);
  if (key.rfind("early_", 0) == 0) key = key.substr(6);
  std::string rest;
  for (const auto& word : split_trimmed(key, " ")) {
    if (word == "phase") continue;
    if (word.rfind("phase", 0) == 0) rest += word.substr(5);
    else rest += word;
  }
  if (rest.empty() || key.rfind("phase", 0) != 0) return false;
  // Roman numerals as cancer-center pages write them: "Phase III", "Phase I/II".
  static constexpr std::string_view kRoman[] = {"i", "ii", "iii", "iv", "i ii", "ii iii", "iii iv", "iii", "iv"};
  std::string roman = key.substr(key.rfind("phase", 0) == 0 ? 5 : 0);
  std::string roman_key;
  for (const auto& word : split_trimmed(roman, " "))
    if (word != "phase") roman_key += (roman_key.empty() ? "" : " ") + (word.rfind("phase", 0) == 0 ? word.substr(5) : word);
  for (auto r : kRoman)
    if (roman_key == r) return true;
  for (char c : rest)
    if (c < '0' || c > '4') return false;
  return rest.size() <= 2;
}

bool looks_like_age(std::string_view line) {
  std::string key = fold_key(line);
  bool has_digit = key.find_first_of("0123456789") != std::string::npos;
  return has_digit && (key.find("year") != std::string::npos ||
                       key.find("month") != std::string::npos ||
                       key.find("week") != std::string::npos || key.find("day") != std::string::npos);
}

bool looks_like_sex(std::string_view line) {
  std::string key = fold_key(line);
  return key == "all" || key == "both" || key == "male" || key == "female" || key == "men" ||
         key == "women" || key == "all sexes";
}

bool looks_like_phone(std::string_view s) {
  s = trim(s);
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') ++digits;
    else if (!(c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/'))
      return false;
  }
  return digits >= 6;
}

bool looks_like_email(std::string_view s) {
  s = trim(s);
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && s.find('.', at) != std::string_view::npos &&
         s.find(' ') == std::string_view::npos;
}

PersonRaw split_contact_line(std::string_view line) {
  PersonRaw person;
  std::string rest(trim(line));
  // An email is a single token; take it from wherever it stands.
  for (const auto& token : split_trimmed(rest, " ")) {
    if (looks_like_email(token)) {
      person.email = token;
      rest = replace_all(rest, token, "");
      break;
    }
  }
  rest = collapse_whitespace(rest);
  // A phone number is the longest run of phone characters at the end.
  size_t cut = rest.size();
  for (size_t i = rest.size(); i > 0; --i) {
    char c = rest[i - 1];
    bool phone_char = (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' ||
                      c == ')' || c == '.';
    if (!phone_char) break;
    cut = i - 1;
  }
  // A phone number starts with a digit, '+' or '('; anything before ("M.D." ends in '.') is the name's.
  while (cut < rest.size() && !((rest[cut] >= '0' && rest[cut] <= '9') || rest[cut] == '+' || rest[cut] == '('))
    ++cut;
  std::string_view tail = trim(std::string_view(rest).substr(cut));
  if (cut < rest.size() && looks_like_phone(tail)) {
    person.phone = std::string(tail);
    rest = std::string(trim(std::string_view(rest).substr(0, cut)));
  }
  // "ext 123" and similar stay with the name rather than be guessed at.
  std::string_view name = trim(rest);
  while (!name.empty() && (name.back() == ',' || name.back() == ';')) name.remove_suffix(1);
  if (!name.empty()) person.name = std::string(trim(name));
  return person;
}

std::optional<std::string> take_trailing_acronym(std::string& title) {
  std::string_view t = trim(title);
  if (t.size() < 4 || t.back() != ')') return std::nullopt;
  size_t open = t.rfind('(');
  if (open == std::string_view::npos || open == 0) return std::nullopt;
  std::string_view inner = t.substr(open + 1, t.size() - open - 2);
  if (inner.empty() || inner.size() > 30 || inner.find(' ') != std::string_view::npos)
    return std::nullopt;
  bool has_letter = false;
  for (char c : inner)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) has_letter = true;
  if (!has_letter) return std::nullopt;
  std::string acronym(inner);
  title = std::string(trim(t.substr(0, open)));
  return acronym;
}

}  // namespace trialmill
