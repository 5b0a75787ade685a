#pragma once
// Every page form reduces to one stream of lines: the page's visible text, one block per line,
// with list nesting kept as indentation. Extractors read only this stream, so a page's HTML and
// its saved text give the same record.
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

struct PageLine {
  std::string text;           // trimmed, inner white space collapsed
  int indent = 0;             // leading spaces in text form; 2 per list level in HTML form
  bool blank_before = false;  // a paragraph break precedes this line
};

// Visible text (what "save as text" gives). Tabs count as four spaces of indentation.
std::vector<PageLine> lines_from_text(std::string_view text);

// Text saved through an HTML-to-Markdown converter renders table cells as "a | b |" rows with
// "---|---|" separator lines. When a page has such separators, the separators are dropped and
// the cell pipes become spaces, so that the rows read like the browser's text.
void unpipe_markdown_tables(std::vector<PageLine>& lines);

// HTML through Gumbo: scripts, styles and templates dropped, block elements and <br> break lines,
// table rows become one line with cells separated by a space, list items are prefixed with their
// marker ("1." in <ol>, "•" in <ul>) and indented by nesting depth.
std::vector<PageLine> lines_from_html(std::string_view html);

}  // namespace trialmill
