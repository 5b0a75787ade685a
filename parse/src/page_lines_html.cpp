#include <gumbo.h>

#include <algorithm>
#include <memory>

#include "trialmill/error.hpp"
#include "trialmill/parse/page_lines.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

// Hostile pages can nest elements without end; past this depth the subtree is skipped.
constexpr int kMaxDepth = 400;
// Gumbo's tree building is quadratic in nesting depth (every start tag checks the stack of open
// elements), so a page nested thousands deep would take minutes; real study pages stay well
// under a hundred levels. Checked by a linear scan before Gumbo sees the page.
constexpr int kMaxMarkupDepth = 3000;

bool is_void_element(std::string_view name) {
  if (name.size() < 2 || name.size() > 8) return false;  // every tag name of every start tag comes here
  for (std::string_view v : {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                             "param", "source", "track", "wbr", "!doctype"})
    if (v.size() == name.size() && iequals(name, v)) return true;
  return false;
}

// std::isalnum in the "C" locale, without the call.
bool ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// An upper estimate of the element nesting depth: start tags push, end tags pop, void and
// self-closing tags do neither; comments, scripts and styles are skipped.
int estimated_depth(std::string_view html) {
  int depth = 0, max_depth = 0;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.compare(i, 4, "<!--") == 0) {
      size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    bool closing = i + 1 < html.size() && html[i + 1] == '/';
    size_t name_start = i + (closing ? 2 : 1);
    size_t name_end = name_start;
    while (name_end < html.size() && (ascii_alnum(html[name_end]) || html[name_end] == '!'))
      ++name_end;
    size_t close = html.find('>', name_end);
    if (close == std::string_view::npos) break;
    std::string_view name = html.substr(name_start, name_end - name_start);
    if (name.empty()) {
      i = name_start;
      continue;
    }
    if (!closing && (name.size() == 6 || name.size() == 5) && (iequals(name, "script") || iequals(name, "style"))) {
      size_t end = ifind(html, iequals(name, "script") ? "</script" : "</style", close);
      i = end == std::string_view::npos ? html.size() : end;
      continue;
    }
    if (closing) depth = depth > 0 ? depth - 1 : 0;
    else if (!is_void_element(name) && html[close - 1] != '/') max_depth = std::max(max_depth, ++depth);
    i = close + 1;
  }
  return max_depth;
}

bool is_skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_HEAD: case GUMBO_TAG_SVG:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_FORM:
      return true;
    default:
      return false;
  }
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_HR:
    case GUMBO_TAG_BODY: case GUMBO_TAG_HTML: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
      return true;
    default:
      return false;
  }
}

bool is_paragraph_like(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_SECTION: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
      return true;
    default:
      return false;
  }
}

class LineBuilder {
 public:
  std::vector<PageLine> lines;

  // Text is collapsed as it comes (Gumbo's text nodes hold whole characters), so a line is
  // built once and moved into place.
  void text(std::string_view s) { append_collapsed_whitespace(current_, pending_space_, s); }
  void space() { pending_space_ = true; }

  void line_break(bool paragraph = false) {
    if (!current_.empty()) {
      if (!prefix_.empty()) current_.insert(0, prefix_);
      lines.push_back({std::move(current_), indent_, pending_paragraph_});
      prefix_.clear();
      pending_paragraph_ = false;
    }
    current_.clear();
    pending_space_ = false;
    if (paragraph) pending_paragraph_ = true;
  }

  void start_item(std::string marker, int indent) {
    line_break();
    prefix_ = std::move(marker);
    indent_ = indent;
  }
  void set_indent(int indent) { indent_ = indent; }

 private:
  std::string current_;  // the line so far, white space collapsed
  bool pending_space_ = false;
  std::string prefix_;
  int indent_ = 0;
  bool pending_paragraph_ = false;
};

class Walker {
 public:
  explicit Walker(LineBuilder& out) : out_(out) {}

  void walk(const GumboNode* node, int depth) {
    if (depth > kMaxDepth) return;
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
        out_.text(node->v.text.text);
        return;
      case GUMBO_NODE_WHITESPACE:
        // Only ASCII white space, which line_break collapses to one space anyway: the markup's
        // indentation is not copied.
        out_.space();
        return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        element(node, depth);
        return;
      default:
        if (node->type == GUMBO_NODE_DOCUMENT) children(node, depth);
        return;
    }
  }

 private:
  void children(const GumboNode* node, int depth) {
    const GumboVector& kids = node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children
                                                                : node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
      walk(static_cast<const GumboNode*>(kids.data[i]), depth + 1);
  }

  void element(const GumboNode* node, int depth) {
    GumboTag tag = node->v.element.tag;
    if (is_skipped(tag)) return;
    if (const GumboAttribute* hidden = gumbo_get_attribute(&node->v.element.attributes, "hidden")) {
      (void)hidden;
      return;
    }
    switch (tag) {
      case GUMBO_TAG_BR:
        out_.line_break();
        return;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL: {
        out_.line_break(true);
        lists_.push_back({tag == GUMBO_TAG_OL, 0});
        children(node, depth);
        lists_.pop_back();
        out_.line_break(true);
        out_.set_indent(static_cast<int>(lists_.size()) * 2);
        return;
      }
      case GUMBO_TAG_LI: {
        std::string marker = "• ";
        if (!lists_.empty()) {
          auto& list = lists_.back();
          ++list.count;
          if (list.ordered) marker = std::to_string(list.count) + ". ";
        }
        out_.start_item(marker, static_cast<int>(lists_.size()) * 2);
        children(node, depth);
        out_.line_break();
        out_.set_indent(static_cast<int>(lists_.size() > 0 ? lists_.size() - 1 : 0) * 2);
        return;
      }
      case GUMBO_TAG_TR:
        out_.line_break();
        children(node, depth);
        out_.line_break();
        return;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        // A cell of several lines (an arm with its description) is a block of its own; a cell
        // of one line stays on its row ("Study Type :" | "Interventional").
        if (has_line_structure(node)) {
          out_.line_break();
          children(node, depth);
          out_.line_break();
        } else {
          out_.space();
          children(node, depth);
          out_.space();
        }
        return;
      case GUMBO_TAG_NAV:
        return;  // site navigation, not page content
      default:
        break;
    }
    bool block = is_block(tag);
    if (block) out_.line_break(is_paragraph_like(tag));
    children(node, depth);
    if (block) out_.line_break(is_paragraph_like(tag));
    else out_.text("");  // inline element: text flows on
  }

  static bool has_line_structure(const GumboNode* cell) {
    const GumboVector& kids = cell->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (kid->type == GUMBO_NODE_ELEMENT &&
          (kid->v.element.tag == GUMBO_TAG_BR || is_block(kid->v.element.tag)))
        return true;
    }
    return false;
  }

  struct ListState {
    bool ordered;
    int count;
  };
  LineBuilder& out_;
  std::vector<ListState> lists_;
};

}  // namespace

std::vector<PageLine> lines_from_html(std::string_view html) {
  if (int depth = estimated_depth(html); depth > kMaxMarkupDepth)
    throw make_error("HTML nested too deeply (", depth, " levels, limit ", kMaxMarkupDepth, ")");
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 100;  // bounded work on broken markup
  GumboOutputPtr output(gumbo_parse_with_options(&options, html.data(), html.size()));
  if (!output) throw make_error("HTML could not be parsed");
  LineBuilder builder;
  Walker(builder).walk(output->document, 0);
  builder.line_break();
  return std::move(builder.lines);
}

}  // namespace trialmill
