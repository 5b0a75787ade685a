#include "trialmill/normalize/people.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>

#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// Degrees, titles and post-nominals, compared with dots removed and lower-cased.
// "Ma" and "Do" are surnames as well as degrees, so they are not listed.
constexpr std::string_view kTitles[] = {
    "phd",    "md",     "msc",  "mph",  "rn",    "professor", "prof",  "dr",    "mbbs",
    "ms",     "bsc",    "mba",  "pharmd", "dds", "dmd",       "np",    "mbchb", "ba",
    "bs",     "msn",    "bsn",  "crc",  "ccrp",  "dnp",       "mmed",  "mbbch", "frcp",
    "frcpc",  "facp",   "frcs", "fracp", "mscr", "mhs",       "mpharm", "bpharm", "aprn",
    "cnp",    "lpn",    "mr",   "mrs",  "msph",  "drph",      "scd",   "dphil", "mbbs"};

std::string title_key(std::string_view word) {
  std::string out;
  for (char c : word)
    if (c != '.' && c != ',') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

bool is_title(std::string_view word) {
  std::string key = title_key(word);
  return !key.empty() && std::find(std::begin(kTitles), std::end(kTitles), key) != std::end(kTitles);
}

bool all_titles(std::string_view part) {
  std::vector<std::string> words = split_trimmed(collapse_whitespace(part), " ");
  if (words.empty()) return true;
  return std::all_of(words.begin(), words.end(), [](const std::string& w) { return is_title(w); });
}

// Removes leading ("Dr.", "Prof.") and trailing ("M.D.") title words of one comma part.
std::string strip_words(std::string_view part) {
  std::vector<std::string> words = split_trimmed(collapse_whitespace(part), " ");
  size_t begin = 0, end = words.size();
  while (begin < end && is_title(words[begin])) ++begin;
  while (end > begin && is_title(words[end - 1])) --end;
  std::vector<std::string> kept(words.begin() + static_cast<long>(begin),
                                words.begin() + static_cast<long>(end));
  return join(kept, " ");
}

bool is_phone_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == '+' ||
         c == '(' || c == ')' || c == '.';
}

// The first run of phone characters holding at least 7 digits: [begin, end).
std::optional<std::pair<size_t, size_t>> find_phone(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (!(std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '(')) {
      ++i;
      continue;
    }
    size_t j = i;
    int digits = 0;
    while (j < s.size() && is_phone_char(s[j])) {
      if (std::isdigit(static_cast<unsigned char>(s[j]))) ++digits;
      ++j;
    }
    if (digits >= 7) {
      while (j > i && !std::isdigit(static_cast<unsigned char>(s[j - 1])) && s[j - 1] != ')') --j;
      return std::make_pair(i, j);
    }
    i = j == i ? i + 1 : j;
  }
  return std::nullopt;
}

Person read_person(std::string_view raw) {
  Person person;
  std::string text(raw);
  // Email: the token holding '@'.
  if (size_t at = text.find('@'); at != std::string::npos) {
    size_t b = at, e = at;
    auto email_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
             c == '+' || c == '@';
    };
    while (b > 0 && email_char(text[b - 1])) --b;
    while (e < text.size() && email_char(text[e])) ++e;
    while (e > at && text[e - 1] == '.') --e;
    person.email = text.substr(b, e - b);
    text.erase(b, e - b);
  }
  if (auto phone = find_phone(text)) {
    person.phone = std::string(trim(std::string_view(text).substr(phone->first, phone->second - phone->first)));
    text.erase(phone->first, phone->second - phone->first);
  }
  person.name = strip_name_titles(text);
  return person;
}

}  // namespace

std::string strip_name_titles(std::string_view name) {
  std::vector<std::string> parts = split_trimmed(collapse_whitespace(name), ",");
  std::vector<std::string> kept;
  for (size_t i = 0; i < parts.size(); ++i) {
    // The first part is the name itself; later parts that are only degrees are dropped.
    if (i > 0 && all_titles(parts[i])) continue;
    std::string words = strip_words(parts[i]);
    if (!words.empty()) kept.push_back(words);
  }
  std::string out = join(kept, ", ");
  // Stray separators left where a phone or email was cut out: "Ye, , " / "Ye -".
  while (!out.empty() && (out.back() == ',' || out.back() == '-' || out.back() == ':' ||
                          out.back() == ' ' || out.back() == ';'))
    out.pop_back();
  return out;
}

std::vector<Person> split_people(std::string_view raw) {
  std::vector<Person> people;
  for (const std::string& part : split_trimmed(replace_all(std::string(raw), "\n", ";"), ";")) {
    if (part.empty()) continue;
    Person p = read_person(part);
    if (p.name.empty() && !p.phone && !p.email) continue;
    people.push_back(std::move(p));
  }
  return people;
}

std::string normalize_sponsor_name(std::string_view raw) {
  std::string name = collapse_whitespace(raw);
  if (name.size() > 2 && name.back() == ')') {
    size_t open = name.rfind('(');
    if (open != std::string::npos && open > 0) {
      std::string outer = std::string(trim(std::string_view(name).substr(0, open)));
      std::string inner = name.substr(open + 1, name.size() - open - 2);
      // CT.gov writes "Sponsor ( Division )" with spaces inside; an acronym "(SYSU)" stays.
      bool spaced = !inner.empty() && inner.front() == ' ' && inner.back() == ' ';
      if (!outer.empty() && (spaced || icontains(inner, outer))) return outer;
    }
  }
  return name;
}

}  // namespace trialmill
