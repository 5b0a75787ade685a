#include "trialmill/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace trialmill {
namespace {

bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_alnum(unsigned char c) {
  return ascii_digit(static_cast<char>(c)) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// ASCII-only case folding (what std::tolower does in the "C" locale), without a libc call per byte.
inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
// Every white space unicode_space_len knows starts with one of these lead bytes.
inline bool may_be_unicode_space(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == 0xC2 || u == 0xE2 || u == 0xE3 || u == 0xEF;
}

// Length of a Unicode white-space sequence at s[i] (NBSP, thin space, ideographic space, …), or 0.
size_t unicode_space_len(std::string_view s, size_t i) {
  auto u = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  if (i + 1 < s.size() && u(i) == 0xC2 && u(i + 1) == 0xA0) return 2;  // U+00A0
  if (i + 2 < s.size() && u(i) == 0xE2 && u(i + 1) == 0x80) {
    unsigned char c = u(i + 2);
    if ((c >= 0x80 && c <= 0x8B) || c == 0xAF) return 3;  // U+2000–U+200B, U+202F
  }
  if (i + 2 < s.size() && u(i) == 0xE3 && u(i + 1) == 0x80 && u(i + 2) == 0x80) return 3;
  if (i + 2 < s.size() && u(i) == 0xEF && u(i + 1) == 0xBB && u(i + 2) == 0xBF) return 3;  // BOM
  return 0;
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;

// 0x80 in exactly the bytes of `word` that are zero (no borrow between bytes, unlike the
// shorter test, so every hit can be used, not just the lowest).
inline uint64_t zero_bytes(uint64_t word) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  return ~(((word & kLow7) + kLow7) | word | kLow7);
}
inline uint64_t bytes_equal(uint64_t word, unsigned char c) { return zero_bytes(word ^ (kOnes * c)); }
inline uint64_t load8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

}  // namespace

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e) {
    if (is_space(s[b])) { ++b; continue; }
    if (!may_be_unicode_space(s[b])) break;
    size_t n = unicode_space_len(s, b);
    if (n == 0) break;
    b += n;
  }
  while (e > b) {
    if (is_space(s[e - 1])) { --e; continue; }
    if (static_cast<unsigned char>(s[e - 1]) < 0x80) break;
    // Trailing NBSP (2 bytes) or 3-byte spaces.
    if (e - b >= 2 && unicode_space_len(s, e - 2) == 2) { e -= 2; continue; }
    if (e - b >= 3 && unicode_space_len(s, e - 3) == 3) { e -= 3; continue; }
    break;
  }
  return s.substr(b, e - b);
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  append_collapsed_whitespace(out, pending_space, s);
  return out;
}

void append_collapsed_whitespace(std::string& out, bool& pending_space, std::string_view s) {
  // Bytes that may start white space: ASCII blanks and the lead bytes of the Unicode spaces.
  static constexpr auto kMaySpace = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) t[c] = true;
    for (unsigned char c : {0xC2, 0xE2, 0xE3, 0xEF}) t[c] = true;
    return t;
  }();
  for (size_t i = 0; i < s.size();) {
    if (kMaySpace[static_cast<unsigned char>(s[i])]) {
      size_t n = is_space(s[i]) ? 1 : unicode_space_len(s, i);
      if (n > 0) {
        pending_space = true;
        i += n;
        continue;
      }
    }
    // A run of bytes none of which starts white space is copied at once, and with it every single
    // ' ' between two such bytes (collapsing leaves those as they are): prose goes in one append.
    size_t j = i + 1;
    for (;;) {
      while (j < s.size() && !kMaySpace[static_cast<unsigned char>(s[j])]) ++j;
      if (j + 1 < s.size() && s[j] == ' ' && !kMaySpace[static_cast<unsigned char>(s[j + 1])]) {
        j += 2;
        continue;
      }
      break;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(s.data() + i, j - i);
    i = j;
  }
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  // Eight bytes at a time: 0x20 is added to each byte from 'A' to 'Z' (a byte from 0x80 is left
  // alone: its high bit is masked out of both range tests).
  size_t i = 0;
  for (; i + 8 <= out.size(); i += 8) {
    uint64_t word = load8(out.data() + i);
    uint64_t low7 = word & 0x7F7F7F7F7F7F7F7FULL;
    uint64_t from_a = low7 + kOnes * (0x80 - 'A');      // 0x80 set where the byte is >= 'A'
    uint64_t past_z = low7 + kOnes * (0x80 - 'Z' - 1);  // 0x80 set where the byte is > 'Z'
    uint64_t upper = from_a & ~past_z & ~word & (kOnes * 0x80);
    if (!upper) continue;
    word += upper >> 2;  // 0x80 >> 2 == 0x20, no carry: those bytes are at most 'Z'
    std::memcpy(out.data() + i, &word, 8);
  }
  for (; i < out.size(); ++i)
    if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

size_t ifind(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty()) return from <= haystack.size() ? from : std::string_view::npos;
  if (from > haystack.size() || needle.size() > haystack.size() - from) return std::string_view::npos;
  // Only positions whose first byte matches are compared in full: format detection, headings and
  // criteria run this over every line of every page.
  const char first = lower(needle[0]);
  const bool letter = first >= 'a' && first <= 'z';
  const char first_upper = letter ? static_cast<char>(first - 'a' + 'A') : first;
  const std::string_view rest = needle.substr(1);
  const size_t last = haystack.size() - needle.size();  // the last position a match can start at
  size_t i = from;
  if (letter) {
    // Eight positions at a time: with bit 0x20 set, a byte equals `first` only when it is that
    // letter in either case (bytes from 0x80 stay above 'z').
    constexpr uint64_t kCase = 0x2020202020202020ULL;
    for (; i <= last && last - i >= 7; i += 8) {
      uint64_t hits = bytes_equal(load8(haystack.data() + i) | kCase, static_cast<unsigned char>(first));
      for (; hits; hits &= hits - 1) {
        size_t at = i + static_cast<size_t>(__builtin_ctzll(hits)) / 8;
        if (iequals(haystack.substr(at + 1, rest.size()), rest)) return at;
      }
    }
  }
  for (; i <= last; ++i) {
    char c = haystack[i];
    if ((c == first || c == first_upper) && iequals(haystack.substr(i + 1, rest.size()), rest)) return i;
  }
  return std::string_view::npos;
}

bool icontains(std::string_view haystack, std::string_view needle) {
  return ifind(haystack, needle) != std::string_view::npos;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t pos = s.find(sep, start);
    std::string_view part = s.substr(start, pos == std::string_view::npos ? pos : pos - start);
    part = trim(part);
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) break;
    start = pos + sep.size();
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string fold_key(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool gap = false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (ascii_alnum(c)) {
      if (gap && !out.empty()) out.push_back(' ');
      gap = false;
      out.push_back(lower(static_cast<char>(c)));
    } else {
      gap = true;
    }
  }
  return out;
}

bool is_nct_id(std::string_view s) {
  if (s.size() != 11 || !istarts_with(s, "NCT")) return false;
  return std::all_of(s.begin() + 3, s.end(), ascii_digit);
}

std::optional<std::string> find_nct_id(std::string_view s, size_t from) {
  for (size_t i = ifind(s, "NCT", from); i != std::string_view::npos; i = ifind(s, "NCT", i + 1)) {
    if (i > 0 && ascii_alnum(static_cast<unsigned char>(s[i - 1]))) continue;
    if (i + 11 > s.size()) return std::nullopt;
    std::string_view cand = s.substr(i, 11);
    if (!is_nct_id(cand)) continue;
    if (i + 11 < s.size() && ascii_alnum(static_cast<unsigned char>(s[i + 11]))) continue;
    return to_upper(cand);
  }
  return std::nullopt;
}

std::vector<std::string> find_all_nct_ids(std::string_view s) {
  std::vector<std::string> out;
  size_t from = 0;
  while (auto id = find_nct_id(s, from)) {
    size_t at = ifind(s, *id, from);
    if (std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
    from = at + 11;
  }
  return out;
}

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_seq_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t min_cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) n = 2, min_cp = 0x80;
  else if ((c & 0xF0) == 0xE0) n = 3, min_cp = 0x800;
  else if ((c & 0xF8) == 0xF0) n = 4, min_cp = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}
}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    // ASCII runs eight bytes at a time.
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_seq_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_seq_len(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      if (!(n == 1 && s[i] == '\0')) out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

double control_byte_ratio(std::string_view s) {
  if (s.empty()) return 0.0;
  // Every page is scanned whole: eight bytes at a time, and a word without bytes below 0x20 (most
  // of a page) costs a test. The four allowed bytes are all below 0x20, so subtracting them is exact.
  constexpr uint64_t kBelow32 = 0xE0E0E0E0E0E0E0E0ULL;  // a byte & 0xE0 is 0 when it is below 0x20
  size_t bad = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word = load8(s.data() + i);
    uint64_t control = zero_bytes(word & kBelow32);
    if (!control) continue;
    uint64_t allowed = bytes_equal(word, '\t') | bytes_equal(word, '\n') | bytes_equal(word, '\r') |
                       bytes_equal(word, '\f');
    bad += static_cast<size_t>(__builtin_popcountll(control & ~allowed));
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bad += static_cast<size_t>(c < 0x20) - (c == '\t') - (c == '\n') - (c == '\r') - (c == '\f');
  }
  return static_cast<double>(bad) / static_cast<double>(s.size());
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace trialmill
