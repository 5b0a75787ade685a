#include "trialmill/normalize/criteria.hpp"

#include <cctype>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

enum class MarkerStyle { none, number_dot, number_paren, number_parens, letter, bullet, circled };

struct Marker {
  MarkerStyle style = MarkerStyle::none;
  int number = 0;     // for numbered styles
  size_t length = 0;  // bytes of marker and the space after it
};

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// The list marker at the start of `s` (already trimmed), if any.
Marker read_marker(std::string_view s) {
  Marker m;
  if (s.empty()) return m;
  static constexpr std::string_view kBullets[] = {"\u2022", "\u00b7", "\u25aa", "\u25e6",
                                                  "\u25cb", "\u25cf", "\u2013", "\u25a0",
                                                  "\u27a2", "-",      "*",      "+"};
  for (std::string_view b : kBullets) {
    if (s.starts_with(b)) {
      size_t end = b.size();
      // "-" and "*" need a following space ("-5 °C" is not a bullet).
      if (b.size() == 1 && (end >= s.size() || s[end] != ' ')) return m;
      return {MarkerStyle::bullet, 0, skip_spaces(s, end)};
    }
  }
  // Circled digits U+2460..U+2473 are E2 91 A0..B3.
  if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xE2 &&
      static_cast<unsigned char>(s[1]) == 0x91) {
    auto c = static_cast<unsigned char>(s[2]);
    if (c >= 0xA0 && c <= 0xB3) return {MarkerStyle::circled, c - 0xA0 + 1, skip_spaces(s, 3)};
  }
  if (s[0] == '(') {
    size_t i = 1;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i > 1 && i - 1 <= 3 && i < s.size() && s[i] == ')')
      return {MarkerStyle::number_parens, std::stoi(std::string(s.substr(1, i - 1))),
              skip_spaces(s, i + 1)};
    if (i == 1 && s.size() >= 3 && std::islower(static_cast<unsigned char>(s[1])) && s[2] == ')')
      return {MarkerStyle::letter, 0, skip_spaces(s, 3)};
    return m;
  }
  size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i > 0 && i <= 3 && i < s.size()) {
    int number = std::stoi(std::string(s.substr(0, i)));
    if (s[i] == '.' && (i + 1 >= s.size() || !is_digit(s[i + 1])))
      return {MarkerStyle::number_dot, number, skip_spaces(s, i + 1)};
    if (s[i] == ')') return {MarkerStyle::number_paren, number, skip_spaces(s, i + 1)};
    if (s.substr(i).starts_with("\u3001"))  // "1、"
      return {MarkerStyle::number_dot, number, skip_spaces(s, i + 3)};
    return m;
  }
  // "a." / "a)" with a space after: lettered sub-items.
  if (s.size() >= 3 && std::islower(static_cast<unsigned char>(s[0])) &&
      (s[1] == '.' || s[1] == ')') && s[2] == ' ')
    return {MarkerStyle::letter, 0, skip_spaces(s, 2)};
  return m;
}

// Where " <number>. " starts inside `text` (from `from`), as a run-together item: the number
// must follow white space that follows one of `before` (or the start of the text).
size_t find_inline_number(std::string_view text, int number, size_t from, std::string_view before) {
  std::string needle = std::to_string(number) + ". ";  // (str_cat builds a stream: hot here)
  for (size_t pos = text.find(needle, from); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    if (pos > 0 && is_digit(text[pos - 1])) continue;
    size_t b = pos;
    while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t')) --b;
    if (b == pos) continue;  // needs white space before the number
    if (b == 0 || before.find(text[b - 1]) != std::string_view::npos) return pos;
  }
  return std::string_view::npos;
}

// Splits `text` at run-together numbers first, first+1, ...; the pieces keep no marker.
std::vector<std::string> split_run(std::string_view text, int first, std::string_view before) {
  std::vector<std::string> pieces;
  size_t start = 0;
  int number = first;
  for (;;) {
    size_t pos = find_inline_number(text, number, start, before);
    if (pos == std::string_view::npos) break;
    pieces.emplace_back(trim(text.substr(start, pos - start)));
    start = pos + std::to_string(number).size() + 2;
    ++number;
  }
  pieces.emplace_back(trim(text.substr(start)));
  return pieces;
}

// Views into the block being split, which outlives its lines.
struct Line {
  size_t indent = 0;
  Marker marker;
  std::string_view text;   // without indentation and without the marker
  std::string_view shown;  // without indentation, marker kept
};

struct Entry {
  std::vector<std::string> parts;  // first the entry's own text, then sub-items / continuations
};

size_t indent_of(std::string_view line) {
  size_t n = 0;
  for (char c : line) {
    if (c == ' ') n += 1;
    else if (c == '\t') n += 4;
    else break;
  }
  return n;
}

std::vector<Line> read_lines(std::string_view block) {
  std::vector<Line> lines;
  for (std::string_view raw : split(block, '\n')) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view t = trim(raw);
    if (t.empty()) continue;
    Line line;
    line.indent = indent_of(raw);
    line.marker = read_marker(t);
    line.shown = t;
    line.text = trim(t.substr(line.marker.length));
    if (line.marker.style != MarkerStyle::none && line.text.empty()) continue;  // a lone marker
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string join_entry(Entry& e) {
  if (e.parts.size() == 1) return std::move(e.parts.front());  // most entries: no copy
  std::string out;
  for (const auto& p : e.parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += "\n";
    out += p;
  }
  return out;
}

class CriteriaSplitter {
 public:
  std::vector<std::string> run(std::string_view block) {
    std::vector<Line> lines = read_lines(block);
    const Line* first_marked = nullptr;
    for (const auto& l : lines)
      if (l.marker.style != MarkerStyle::none) {
        first_marked = &l;
        break;
      }
    if (!first_marked) {
      // No list markers: every line is one criterion.
      for (const auto& l : lines) add_top(l.text, MarkerStyle::none, 0);
      return finish();
    }
    size_t top_indent = first_marked->indent;
    MarkerStyle top_style = first_marked->marker.style;
    for (const auto& l : lines) {
      bool marked = l.marker.style != MarkerStyle::none;
      bool deeper = l.indent > top_indent ||
                    (l.marker.style == MarkerStyle::letter && top_style != MarkerStyle::letter);
      if (marked && (!deeper || entries_.empty())) {
        add_top(l.text, l.marker.style, l.marker.number);
      } else if (marked) {
        add_sub(l);
      } else if (entries_.empty()) {
        add_top(l.text, MarkerStyle::none, 0);  // text before the first marker
      } else {
        entries_.back().parts.emplace_back(l.text);  // continuation
      }
    }
    return finish();
  }

 private:
  std::vector<Entry> entries_;
  std::vector<std::vector<std::string>> promoted_;  // parallel to entries_

  void add_top(std::string_view text, MarkerStyle style, int number) {
    std::vector<std::string> pieces;
    if (style == MarkerStyle::number_dot) {
      pieces = split_run(text, number + 1, ";.:");
    } else if (style != MarkerStyle::circled && style != MarkerStyle::number_paren &&
               style != MarkerStyle::number_parens && text.starts_with("1. ")) {
      pieces = split_run(text.substr(3), 2, ";.:");
    } else {
      pieces.emplace_back(text);
    }
    for (auto& p : pieces) {
      entries_.push_back(Entry{{std::move(p)}});
      promoted_.emplace_back();
    }
  }

  void add_sub(const Line& l) {
    Entry& parent = entries_.back();
    if (l.marker.style != MarkerStyle::number_dot) {
      parent.parts.emplace_back(l.shown);
      return;
    }
    int k = l.marker.number;
    // "3. a; 4. b" inside a sub-list: more sub-items of the same list.
    std::vector<std::string> siblings = split_run(l.text, k + 1, ";.:");
    for (size_t i = 0; i < siblings.size(); ++i)
      parent.parts.push_back(std::to_string(k + static_cast<int>(i)) + ". " + siblings[i]);
    // "…; 5. Subjects…; 6. …" whose number does not continue the sub-list: outer-list items.
    std::string& last = parent.parts.back();
    for (size_t pos = 0; pos < last.size(); ++pos) {
      if (!is_digit(last[pos]) || (pos > 0 && is_digit(last[pos - 1]))) continue;
      size_t e = pos;
      while (e < last.size() && is_digit(last[e])) ++e;
      if (e - pos > 2) continue;
      int m = std::stoi(last.substr(pos, e - pos));
      if (m < 2 || m == k + static_cast<int>(siblings.size())) continue;
      if (find_inline_number(last, m, pos, ";.") != pos) continue;
      std::string head = last.substr(0, pos);
      std::vector<std::string> run =
          split_run(std::string_view(last).substr(pos + std::to_string(m).size() + 2), m + 1, ";.");
      last = std::string(trim(head));
      for (auto& r : run) promoted_.back().push_back(std::move(r));
      break;
    }
  }

  std::vector<std::string> finish() {
    std::vector<std::string> out;
    for (size_t i = 0; i < entries_.size(); ++i) {
      std::string text = join_entry(entries_[i]);
      if (!text.empty()) out.push_back(std::move(text));
      for (auto& p : promoted_[i])
        if (!p.empty()) out.push_back(std::move(p));
    }
    return out;
  }
};

enum class Heading { none, inclusion, exclusion };

// A heading line, and where its content starts when the criteria follow on the same line.
Heading read_heading(std::string_view line, size_t& content_start) {
  std::string_view t = trim(line);
  size_t colon = t.find(':');
  std::string_view label = colon == std::string_view::npos ? t : t.substr(0, colon);
  // Every heading's key holds "inclusion" or "exclusion", whose letters stand together in the
  // line as well: the other lines (nearly all) are passed without folding them.
  if (ifind(label, "clusion") == std::string_view::npos) return Heading::none;
  std::string key = fold_key(label);
  if (key.size() > 60) return Heading::none;
  static constexpr std::string_view kPrefixes[] = {"key ", "main ", "major ", "general ",
                                                   "principal "};
  for (std::string_view p : kPrefixes)
    if (key.starts_with(p)) key = key.substr(p.size());
  Heading h = Heading::none;
  if (key == "inclusion criteria" || key == "inclusion" || key == "inclusion criterion" ||
      key == "inclusion and exclusion criteria" || key == "inclusion exclusion criteria" ||
      key == "inclusion criteria include" || key == "inclusion criteria are")
    h = Heading::inclusion;
  else if (key == "exclusion criteria" || key == "exclusion" || key == "exclusion criterion" ||
           key == "exclusion criteria include" || key == "exclusion criteria are")
    h = Heading::exclusion;
  if (h == Heading::none) return h;
  content_start = colon == std::string_view::npos
                      ? line.size()
                      : static_cast<size_t>(t.data() - line.data()) + colon + 1;
  return h;
}

}  // namespace

std::vector<std::string> split_criteria(std::string_view block) {
  return CriteriaSplitter().run(block);
}

CriteriaSections split_eligibility_sections(std::string_view text) {
  CriteriaSections sections;
  std::string inclusion, exclusion;
  bool have_inclusion = false, have_exclusion = false;
  Heading current = Heading::none;
  for (std::string_view raw : split(text, '\n')) {
    size_t content = 0;
    Heading h = read_heading(raw, content);
    std::string_view rest = raw;
    if (h != Heading::none) {
      current = h;
      (h == Heading::inclusion ? have_inclusion : have_exclusion) = true;
      rest = raw.substr(content);
      if (trim(rest).empty()) continue;
      rest = trim(rest);
    }
    if (current == Heading::none) continue;
    std::string& target = current == Heading::inclusion ? inclusion : exclusion;
    if (!target.empty()) target += "\n";
    target += rest;
  }
  if (have_inclusion) sections.inclusion = inclusion;
  if (have_exclusion) sections.exclusion = exclusion;
  return sections;
}

}  // namespace trialmill
