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

}  // namespace trialmill
