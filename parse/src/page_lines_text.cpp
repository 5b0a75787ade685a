#include "trialmill/parse/page_lines.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

std::vector<PageLine> lines_from_text(std::string_view text) {
  std::vector<PageLine> lines;
  bool blank_before = false;
  for (std::string_view raw : split(text, '\n')) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    int indent = 0;
    for (char c : raw) {
      if (c == ' ') indent += 1;
      else if (c == '\t') indent += 4;
      else break;
    }
    std::string collapsed = collapse_whitespace(raw);
    if (collapsed.empty()) {
      blank_before = true;
      continue;
    }
    lines.push_back({std::move(collapsed), indent, blank_before});
    blank_before = false;
  }
  return lines;
}

namespace {

bool is_table_separator(std::string_view t) {
  if (t.find('|') == std::string_view::npos) return false;
  for (char c : t)
    if (c != '-' && c != '|' && c != ':' && c != ' ') return false;
  return true;
}

}  // namespace

void unpipe_markdown_tables(std::vector<PageLine>& lines) {
  size_t separators = 0;
  for (const auto& line : lines) separators += is_table_separator(line.text) ? 1 : 0;
  if (separators == 0) return;
  std::vector<PageLine> out;
  for (auto& line : lines) {
    if (is_table_separator(line.text)) continue;
    std::string text = collapse_whitespace(replace_all(" " + line.text + " ", " | ", " "));
    if (!text.empty() && text.back() == '|') text = std::string(trim(text.substr(0, text.size() - 1)));
    if (!text.empty() && text.front() == '|') text = std::string(trim(text.substr(1)));
    if (text.empty()) continue;
    line.text = std::move(text);
    out.push_back(std::move(line));
  }
  lines = std::move(out);
}

}  // namespace trialmill
