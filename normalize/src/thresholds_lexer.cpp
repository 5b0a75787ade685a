// The token scanner behind threshold extraction: words, numbers, comparators and the few
// symbols that matter ("×", "⁹", "%", "/"), each with its byte span in the criterion text.
#include "trialmill/normalize/thresholds.hpp"

#include <algorithm>
#include <charconv>

namespace trialmill::threshold_detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

struct Symbol {
  std::string_view bytes;
  Tk type;
  std::string_view norm;
};

// Multi-byte symbols (and HTML entities a page may have kept).
// clang-format off
constexpr Symbol kSymbols[] = {
    {"\u2265", Tk::cmp, ">="},   {"\u2267", Tk::cmp, ">="},   {"\u2A7E", Tk::cmp, ">="},
    {"\u2264", Tk::cmp, "<="},   {"\u2266", Tk::cmp, "<="},   {"\u2A7D", Tk::cmp, "<="},
    {"\uFF1E", Tk::cmp, ">"},    {"\uFF1C", Tk::cmp, "<"},    {"\uFF1D", Tk::cmp, "="},
    {"&gt;=", Tk::cmp, ">="},    {"&lt;=", Tk::cmp, "<="},    {"&ge;", Tk::cmp, ">="},
    {"&le;", Tk::cmp, "<="},     {"&gt;", Tk::cmp, ">"},      {"&lt;", Tk::cmp, "<"},
    {"\u00D7", Tk::times, "x"},  {"\u2715", Tk::times, "x"},  {"\u2217", Tk::times, "x"},
    {"\u2013", Tk::dash, "-"},   {"\u2014", Tk::dash, "-"},   {"\u2212", Tk::dash, "-"},
    {"\uFF5E", Tk::dash, "-"},   {"\u2079", Tk::sup9, "9"},   {"\uFF08", Tk::open, "("},
    {"\uFF09", Tk::close, ")"},  {"\uFF1A", Tk::colon, ":"},  {"\uFF0C", Tk::comma, ","},
    {"\u3001", Tk::comma, ","},  {"\uFF1B", Tk::brk, ";"},    {"\u3002", Tk::brk, "."},
    {"\uFF05", Tk::percent, "%"},
};
// clang-format on

// Bytes of white space at i (ASCII blanks, NBSP, the U+2000 block, ideographic space), or 0.
size_t space_length(std::string_view s, size_t i) {
  char c = s[i];
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return 1;
  if (static_cast<unsigned char>(c) < 0x80) return 0;  // every other space is multi-byte
  if (s.substr(i, 2) == "\u00A0") return 2;
  if (s.substr(i, 2) == "\xE2\x80" && i + 2 < s.size()) {
    auto d = static_cast<unsigned char>(s[i + 2]);
    if (d <= 0x8B || d == 0xAF) return 3;
  }
  if (s.substr(i, 3) == "\u3000") return 3;
  return 0;
}

// One letter of a word at i, folded into `out`: ASCII letters, digits after the first letter,
// "µ"/"μ" read as "u", "²"/"³" after the first letter. Returns its byte length, 0 if none.
size_t word_char(std::string_view s, size_t i, bool first, char& out) {
  char c = s[i];
  if (is_alpha(c)) {
    out = lower(c);
    return 1;
  }
  if (!first && is_digit(c)) {
    out = c;
    return 1;
  }
  std::string_view two = s.substr(i, 2);
  if (two == "\u00B5" || two == "\u03BC") {
    out = 'u';
    return 2;
  }
  if (!first && two == "\u00B2") {
    out = '2';
    return 2;
  }
  if (!first && two == "\u00B3") {
    out = '3';
    return 2;
  }
  return 0;
}

size_t utf8_length(char lead) {
  auto c = static_cast<unsigned char>(lead);
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> run() {
    out_.reserve(s_.size() / 4 + 4);
    while (i_ < s_.size()) step();
    return std::move(out_);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
  std::vector<Token> out_;

  void push(Tk type, size_t begin, size_t end, std::string norm, double value = 0) {
    Token& t = out_.emplace_back();
    t.type = type;
    t.begin = begin;
    t.end = end;
    t.norm = std::move(norm);
    t.value = value;
  }
  bool at(size_t i, char c) const { return i < s_.size() && s_[i] == c; }
  bool digit_at(size_t i) const { return i < s_.size() && is_digit(s_[i]); }

  void step() {
    char c = s_[i_];
    if (size_t sp = space_length(s_, i_)) {
      i_ += sp;
      return;
    }
    char folded = 0;
    if (word_char(s_, i_, true, folded)) return word();
    if (is_digit(c) || (c == '.' && digit_at(i_ + 1))) return number();
    switch (c) {
      case '\n':
      case '\r':
      case ';':
      case '!':
      case '?':
        return single(Tk::brk, ";");
      case '>':
      case '<': {
        std::string norm(1, c);
        size_t len = 1;
        if (at(i_ + 1, '=')) norm += '=', len = 2;
        push(Tk::cmp, i_, i_ + len, norm);
        i_ += len;
        return;
      }
      case '=': {
        if (at(i_ + 1, '>') || at(i_ + 1, '<')) {
          push(Tk::cmp, i_, i_ + 2, std::string(1, s_[i_ + 1]) + "=");
          i_ += 2;
          return;
        }
        return single(Tk::cmp, "=");
      }
      case '\\':
        // CT.gov markdown escapes: "\<30", "\>470", "\[CTCAE\]" -- the backslash is dropped.
        if (i_ + 1 < s_.size() &&
            std::string_view("<>[]()*_#+-.!~^").find(s_[i_ + 1]) != std::string_view::npos) {
          ++i_;
          return;
        }
        return other(1);
      case '*':
        return single(Tk::times, "x");
      case '-':
      case '~':
        return single(Tk::dash, "-");
      case '/':
        return single(Tk::slash, "/");
      case '%':
        return single(Tk::percent, "%");
      case ':':
        return single(Tk::colon, ":");
      case ',':
        return single(Tk::comma, ",");
      case '(':
      case '[':
      case '{':
        return single(Tk::open, "(");
      case ')':
      case ']':
      case '}':
        return single(Tk::close, ")");
      case '^':
        return single(Tk::caret, "^");
      case '+':
        return single(Tk::plus, "+");
      case '.': {
        // A full stop ends a sentence; other dots ("e.g") are just punctuation.
        bool ends = i_ + 1 >= s_.size() || space_length(s_, i_ + 1) || s_[i_ + 1] == '\n' ||
                    s_[i_ + 1] == '\r';
        return ends ? single(Tk::brk, ".") : other(1);
      }
      default:
        break;
    }
    for (const Symbol& sym : kSymbols) {
      if (s_.substr(i_, sym.bytes.size()) == sym.bytes) {
        push(sym.type, i_, i_ + sym.bytes.size(), std::string(sym.norm));
        i_ += sym.bytes.size();
        return;
      }
    }
    other(std::min(utf8_length(c), s_.size() - i_));
  }

  void single(Tk type, std::string_view norm) {
    push(type, i_, i_ + 1, std::string(norm));
    ++i_;
  }

  // Runs of unknown bytes make one token.
  void other(size_t len) {
    if (!out_.empty() && out_.back().type == Tk::other && out_.back().end == i_)
      out_.back().end = i_ + len;
    else
      push(Tk::other, i_, i_ + len, {});
    i_ += len;
  }

  void word() {
    size_t begin = i_;
    // The common case first: a run of ASCII letters and digits, folded in one go.
    size_t end = i_;
    while (end < s_.size() && (is_alpha(s_[end]) || (end > begin && is_digit(s_[end])))) ++end;
    std::string w(s_.substr(begin, end - begin));
    for (char& c : w) c = lower(c);
    i_ = end;
    char folded = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_alpha(c) || (is_digit(c) && !w.empty())) {  // the common case, without the call
        w += lower(c);
        ++i_;
        continue;
      }
      size_t len = word_char(s_, i_, w.empty(), folded);
      if (!len) break;
      w += folded;
      i_ += len;
    }
    push(Tk::word, begin, i_, std::move(w));
  }

  // Digits, "," thousands groups ("1,500"), one decimal part; ".5" reads as 0.5.
  void number() {
    size_t begin = i_;
    std::string digits;
    bool grouped = false;
    if (s_[i_] == '.') {
      digits.push_back('0');  // (not `= "0"`: GCC 12 -Wrestrict false positive)
    } else {
      while (digit_at(i_)) digits += s_[i_++];
      while (at(i_, ',') && digit_at(i_ + 1) && digit_at(i_ + 2) && digit_at(i_ + 3) &&
             !digit_at(i_ + 4) && (grouped || digits.size() <= 3)) {
        digits.append(s_.substr(i_ + 1, 3));
        i_ += 4;
        grouped = true;
      }
    }
    if (at(i_, '.') && digit_at(i_ + 1)) {
      digits += '.';
      ++i_;
      while (digit_at(i_)) digits += s_[i_++];
    }
    if (digits.size() > 18) {  // not a quantity anyone writes in a criterion
      size_t end = i_;
      i_ = begin;
      other(end - begin);
      return;
    }
    // "4.010^9/L": the registry lost the "×" before 10^9 -- split off the "10".
    bool power_follows = at(i_, '^') || s_.substr(i_, 3) == "\u2079";
    if (power_follows && !grouped && digits.size() > 2 && digits.ends_with("10") &&
        digits[digits.size() - 3] != '.') {
      std::string head = digits.substr(0, digits.size() - 2);
      push(Tk::number, begin, i_ - 2, head, to_double(head));
      push(Tk::number, i_ - 2, i_, "10", 10);
      return;
    }
    push(Tk::number, begin, i_, digits, to_double(digits));
  }

  static double to_double(const std::string& digits) {
    double v = 0;
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return result.ec == std::errc() ? v : -1;
  }
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace trialmill::threshold_detail
