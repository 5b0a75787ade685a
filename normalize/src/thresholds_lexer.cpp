// The token scanner behind threshold extraction: words, numbers, comparators and the few
// symbols that matter ("×", "⁹", "%", "/"), each with its byte span in the criterion text.
#include "trialmill/normalize/thresholds.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

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
  // Every norm is at most as long as its token's text, but for ".5" read as "0.5": twice the text
  // always holds them all, so the storage is sized once and views into it stay valid.
  explicit Lexer(std::string_view s)
      : s_(s), storage_(std::make_unique_for_overwrite<char[]>(2 * s.size() + 8)) {}

  TokenList run() {
    out_.reserve(s_.size() / 4 + 4);
    while (i_ < s_.size()) step();
    TokenList list;
    list.tokens = std::move(out_);
    list.storage = std::move(storage_);
    return list;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
  std::vector<Token> out_;
  std::unique_ptr<char[]> storage_;  // the norms that are not literals, one after the other
  size_t used_ = 0;

  void push(Tk type, size_t begin, size_t end, std::string_view norm, double value = 0) {
    out_.push_back(Token{type, begin, end, norm, value});
  }
  bool at(size_t i, char c) const { return i < s_.size() && s_[i] == c; }
  bool digit_at(size_t i) const { return i < s_.size() && is_digit(s_[i]); }

  void step() {
    char c = s_[i_];
    // ASCII letters, digits and blanks first, the common cases, without the general tests.
    if (is_alpha(c)) return word();
    if (is_digit(c)) return number();
    if (c == ' ') {
      ++i_;
      return;
    }
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
        // ">/=" and "</=": one comparator.
        if (at(i_ + 1, '/') && at(i_ + 2, '=')) {
          push(Tk::cmp, i_, i_ + 3, c == '>' ? ">=" : "<=");
          i_ += 3;
          return;
        }
        bool equal = at(i_ + 1, '=');
        size_t len = equal ? 2 : 1;
        push(Tk::cmp, i_, i_ + len, c == '>' ? (equal ? ">=" : ">") : (equal ? "<=" : "<"));
        i_ += len;
        return;
      }
      case '=': {
        // "=\<" (a markdown-escaped "=<") and "=/>": one comparator.
        if ((at(i_ + 1, '\\') || at(i_ + 1, '/')) && (at(i_ + 2, '>') || at(i_ + 2, '<'))) {
          push(Tk::cmp, i_, i_ + 3, s_[i_ + 2] == '>' ? ">=" : "<=");
          i_ += 3;
          return;
        }
        if (at(i_ + 1, '>') || at(i_ + 1, '<')) {
          push(Tk::cmp, i_, i_ + 2, s_[i_ + 1] == '>' ? ">=" : "<=");
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
        push(sym.type, i_, i_ + sym.bytes.size(), sym.norm);
        i_ += sym.bytes.size();
        return;
      }
    }
    other(std::min(utf8_length(c), s_.size() - i_));
  }

  void single(Tk type, std::string_view norm) {
    push(type, i_, i_ + 1, norm);
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
    char* w = storage_.get() + used_;
    size_t n = 0;
    // The common case first: a run of ASCII letters and digits, folded in one go (with locals:
    // stores through `w` may alias any member, which the compiler would reload per byte).
    if (is_alpha(s_[i_])) {
      // ASCII letters lower-cased, digits as they are, every other byte 0.
      static constexpr auto kFold = [] {
        std::array<char, 256> t{};
        for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
        for (int c = 'A'; c <= 'Z'; ++c)
          t[static_cast<size_t>(c)] = static_cast<char>(c - 'A' + 'a');
        for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
        return t;
      }();
      const char* src = s_.data();
      const size_t size = s_.size();
      size_t i = i_;
      w[n++] = lower(src[i++]);
      while (i < size) {
        char f = kFold[static_cast<unsigned char>(src[i])];
        if (!f) break;
        w[n++] = f;
        ++i;
      }
      i_ = i;
    }
    char folded = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_alpha(c) || (is_digit(c) && n > 0)) {
        w[n++] = lower(c);
        ++i_;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80) break;  // no other ASCII byte continues a word
      size_t len = word_char(s_, i_, n == 0, folded);
      if (!len) break;
      w[n++] = folded;
      i_ += len;
    }
    used_ += n;
    push(Tk::word, begin, i_, std::string_view(w, n));
  }

  // Digits, "," thousands groups ("1,500"), one decimal part; ".5" reads as 0.5.
  void number() {
    size_t begin = i_;
    char* d = storage_.get() + used_;
    size_t n = 0;
    bool grouped = false;
    if (s_[i_] == '.') {
      d[n++] = '0';
    } else {
      while (digit_at(i_)) d[n++] = s_[i_++];
      while (at(i_, ',') && digit_at(i_ + 1) && digit_at(i_ + 2) && digit_at(i_ + 3) &&
             !digit_at(i_ + 4) && (grouped || n <= 3)) {
        d[n++] = s_[i_ + 1];
        d[n++] = s_[i_ + 2];
        d[n++] = s_[i_ + 3];
        i_ += 4;
        grouped = true;
      }
    }
    if (at(i_, '.') && digit_at(i_ + 1)) {
      d[n++] = '.';
      ++i_;
      while (digit_at(i_)) d[n++] = s_[i_++];
    }
    std::string_view digits(d, n);
    if (digits.size() > 18) {  // not a quantity anyone writes in a criterion
      size_t end = i_;
      i_ = begin;
      other(end - begin);
      return;
    }
    used_ += n;
    // "4.010^9/L": the registry lost the "×" before 10^9 -- split off the "10".
    bool power_follows = at(i_, '^') || s_.substr(i_, 3) == "\u2079";
    if (power_follows && !grouped && digits.size() > 2 && digits.ends_with("10") &&
        digits[digits.size() - 3] != '.') {
      std::string_view head = digits.substr(0, digits.size() - 2);
      push(Tk::number, begin, i_ - 2, head, to_double(head));
      push(Tk::number, i_ - 2, i_, "10", 10);
      return;
    }
    push(Tk::number, begin, i_, digits, to_double(digits));
  }

  static double to_double(std::string_view digits) {
    double v = 0;
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return result.ec == std::errc() ? v : -1;
  }
};

}  // namespace

TokenList tokenize(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace trialmill::threshold_detail
