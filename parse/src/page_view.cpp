#include "trialmill/parse/page_view.hpp"

#include "trialmill/text.hpp"

namespace trialmill {

std::string_view label_key(std::string_view text) {
  text = trim(text);
  while (!text.empty() && (text.back() == ':' || is_space(text.back()))) text.remove_suffix(1);
  return text;
}

PageView::PageView(std::vector<PageLine> lines) : lines_(std::move(lines)) {
  keys_.reserve(lines_.size());
  for (const auto& line : lines_) {
    std::string_view k = label_key(line.text);
    keys_.emplace_back(k.empty() ? 0 : static_cast<size_t>(k.data() - line.text.data()), k.size());
  }
}

bool PageView::is_label(size_t i, std::string_view label) const {
  // The length first, here: extractors test every line against dozens of labels.
  return i < lines_.size() && keys_[i].second == label.size() && iequals(key(i), label);
}

bool PageView::is_any_label(size_t i, std::initializer_list<std::string_view> labels) const {
  for (auto label : labels)
    if (is_label(i, label)) return true;
  return false;
}

size_t PageView::find_label(std::string_view label, size_t from, size_t to) const {
  for (size_t i = from, end = clamp(to); i < end; ++i)
    if (is_label(i, label)) return i;
  return npos;
}

size_t PageView::find_any_label(std::initializer_list<std::string_view> labels, size_t from,
                                size_t to) const {
  for (size_t i = from, end = clamp(to); i < end; ++i)
    if (is_any_label(i, labels)) return i;
  return npos;
}

size_t PageView::find_prefix(std::string_view prefix, size_t from, size_t to) const {
  for (size_t i = from, end = clamp(to); i < end; ++i)
    if (istarts_with(lines_[i].text, prefix)) return i;
  return npos;
}

std::optional<std::string> PageView::inline_value(std::string_view label, size_t from,
                                                  size_t to) const {
  for (size_t i = from, end = clamp(to); i < end; ++i) {
    std::string_view t = lines_[i].text;
    if (!istarts_with(t, label)) continue;
    std::string_view rest = trim(t.substr(label.size()));
    if (rest.empty() || rest.front() != ':') continue;
    rest = trim(rest.substr(1));
    if (!rest.empty()) return std::string(rest);
    // "Recruitment Status :" alone: the value stands on the next line, unless that is a label too.
    if (i + 1 < end && lines_[i + 1].text.back() != ':') return lines_[i + 1].text;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> PageView::next_line_value(std::string_view label, size_t from,
                                                     size_t to) const {
  size_t at = find_label(label, from, to);
  if (at == npos || at + 1 >= clamp(to)) return std::nullopt;
  return lines_[at + 1].text;
}

Section PageView::section_after(size_t label_index, std::initializer_list<std::string_view> stops,
                                size_t to) const {
  size_t end = clamp(to);
  if (label_index == npos || label_index + 1 > end) return {end, end};
  size_t begin = label_index + 1;
  size_t stop = find_any_label(stops, begin, end);
  return {begin, stop == npos ? end : stop};
}

std::string PageView::paragraphs(Section section) const {
  std::string out;
  for (size_t i = section.begin; i < section.end; ++i) {
    if (i > section.begin) out += lines_[i].blank_before ? "\n\n" : "\n";
    out += lines_[i].text;
  }
  return out;
}

std::string PageView::block(Section section) const {
  std::string out;
  for (size_t i = section.begin; i < section.end; ++i) {
    if (i > section.begin) out += '\n';
    out.append(static_cast<size_t>(lines_[i].indent), ' ');
    out += lines_[i].text;
  }
  return out;
}

std::vector<std::string> PageView::line_list(Section section) const {
  std::vector<std::string> out;
  for (size_t i = section.begin; i < section.end; ++i) out.push_back(lines_[i].text);
  return out;
}

}  // namespace trialmill
