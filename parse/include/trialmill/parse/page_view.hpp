#pragma once
// Read access to a page's line stream with the look-ups the extractors share: labelled lines,
// "Label : value" lines and sections between labels.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trialmill/parse/page_lines.hpp"

namespace trialmill {

// Lines [begin, end) of a page.
struct Section {
  size_t begin = 0;
  size_t end = 0;
  bool empty() const { return begin >= end; }
  size_t size() const { return empty() ? 0 : end - begin; }
};

class PageView {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  explicit PageView(std::vector<PageLine> lines);

  size_t size() const { return lines_.size(); }
  const PageLine& line(size_t i) const { return lines_[i]; }
  const std::string& text(size_t i) const { return lines_[i].text; }

  // Line i without white space and trailing ':' (label_key of its text), computed once.
  std::string_view label_text(size_t i) const { return key(i); }
  // True when line i is `label`, ignoring case and a trailing ':'.
  bool is_label(size_t i, std::string_view label) const;
  bool is_any_label(size_t i, std::initializer_list<std::string_view> labels) const;
  // First line in [from, to) that is `label`; npos when none.
  size_t find_label(std::string_view label, size_t from = 0, size_t to = npos) const;
  size_t find_any_label(std::initializer_list<std::string_view> labels, size_t from = 0,
                        size_t to = npos) const;
  // First line in [from, to) starting with `prefix` (case-insensitive); npos when none.
  size_t find_prefix(std::string_view prefix, size_t from = 0, size_t to = npos) const;

  // "Label : value" or "Label: value" on one line: the value, trimmed; nullopt when no such line
  // or the value is empty.
  std::optional<std::string> inline_value(std::string_view label, size_t from = 0,
                                          size_t to = npos) const;
  // The line right after the line `label` (a label/value pair on two lines).
  std::optional<std::string> next_line_value(std::string_view label, size_t from = 0,
                                             size_t to = npos) const;

  // The lines after line `label_index` up to the first line (in the rest of the page, or before
  // `to`) that is one of `stops`.
  Section section_after(size_t label_index, std::initializer_list<std::string_view> stops,
                        size_t to = npos) const;

  // Paragraph text of a section: lines of one paragraph joined by '\n', paragraphs by "\n\n".
  std::string paragraphs(Section section) const;
  // The section's lines as shown, indentation kept, joined by '\n'.
  std::string block(Section section) const;
  std::vector<std::string> line_list(Section section) const;

 private:
  size_t clamp(size_t to) const { return to == npos || to > lines_.size() ? lines_.size() : to; }
  std::string_view key(size_t i) const {
    return std::string_view(lines_[i].text).substr(keys_[i].first, keys_[i].second);
  }
  std::vector<PageLine> lines_;
  // label_key of each line as (offset, length) in its text, computed once: extractors and format
  // detection compare every line with dozens of labels.
  std::vector<std::pair<size_t, size_t>> keys_;
};

// Strips a trailing ':' and white space: the label part of a label line.
std::string_view label_key(std::string_view text);

}  // namespace trialmill
