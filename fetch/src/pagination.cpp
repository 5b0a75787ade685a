#include "trialmill/fetch/pagination.hpp"

#include <set>

#include "trialmill/error.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

// The value of attribute `name` in a tag's attribute text, quoted or bare; entity &amp; undone.
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
  std::string lower = to_lower(tag);
  size_t pos = 0;
  while ((pos = lower.find(name, pos)) != std::string::npos) {
    bool starts = pos == 0 || lower[pos - 1] == ' ' || lower[pos - 1] == '\t' ||
                  lower[pos - 1] == '\n' || lower[pos - 1] == '\r';
    size_t eq = pos + name.size();
    while (eq < lower.size() && (lower[eq] == ' ' || lower[eq] == '\t')) ++eq;
    if (!starts || eq >= lower.size() || lower[eq] != '=') {
      pos += name.size();
      continue;
    }
    size_t v = eq + 1;
    while (v < tag.size() && (tag[v] == ' ' || tag[v] == '\t')) ++v;
    if (v >= tag.size()) return std::nullopt;
    std::string value;
    if (tag[v] == '"' || tag[v] == '\'') {
      size_t end = tag.find(tag[v], v + 1);
      value = std::string(tag.substr(v + 1, end == std::string_view::npos ? end : end - v - 1));
    } else {
      size_t end = tag.find_first_of(" \t\r\n>", v);
      value = std::string(tag.substr(v, end == std::string_view::npos ? end : end - v));
    }
    return replace_all(value, "&amp;", "&");
  }
  return std::nullopt;
}

// Visible text of an anchor's inner HTML: tags dropped, a few entities undone, spaces folded.
std::string anchor_text(std::string_view inner) {
  std::string out;
  bool in_tag = false;
  for (char c : inner) {
    if (c == '<')
      in_tag = true;
    else if (c == '>')
      in_tag = false;
    else if (!in_tag)
      out += c;
  }
  out = replace_all(out, "&raquo;", "»");
  out = replace_all(out, "&rsaquo;", "›");
  out = replace_all(out, "&gt;", ">");
  out = replace_all(out, "&nbsp;", " ");
  out = replace_all(out, "&amp;", "&");
  return std::string(trim(out));
}

bool says_next(std::string_view text) {
  std::string t = to_lower(trim(text));
  for (std::string_view arrow : {"»", "›", ">", ">>", "→"})
    if (t.size() >= arrow.size() && t.compare(t.size() - arrow.size(), arrow.size(), arrow) == 0)
      t = std::string(trim(std::string_view(t).substr(0, t.size() - arrow.size())));
  // An arrow alone is not enough: "»" is as often "last page" as "next".
  return t == "next" || t == "next page" || t == "next results" || t == "more results";
}

bool rel_is_next(const std::optional<std::string>& rel) {
  if (!rel) return false;
  const std::string lower = to_lower(*rel);  // split's views point into it: it must outlive them
  for (std::string_view word : split(lower, ' '))
    if (word == "next") return true;
  return false;
}

}  // namespace

ListingLinks read_listing_links(std::string_view html, std::string_view page_url) {
  ListingLinks out;
  std::set<std::string> seen;
  std::optional<std::string> rel_next, text_next;
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    size_t end = html.find('>', pos);
    if (end == std::string_view::npos) break;
    std::string_view tag = html.substr(pos + 1, end - pos - 1);
    std::string name = to_lower(tag.substr(0, tag.find_first_of(" \t\r\n/")));
    pos = end + 1;
    if (name != "a" && name != "link") continue;
    auto href = attribute(tag, "href");
    if (!href || href->empty() || href->front() == '#' || istarts_with(*href, "javascript:") ||
        istarts_with(*href, "mailto:"))
      continue;
    auto resolved = resolve_url(page_url, *href);
    if (!resolved) continue;
    if (std::string fragment_free = resolved->substr(0, resolved->find('#'));
        fragment_free != *resolved)
      resolved = fragment_free;
    bool next = rel_is_next(attribute(tag, "rel"));
    if (name == "a") {
      size_t close = html.find("</a", pos);
      std::string text =
          anchor_text(html.substr(pos, close == std::string_view::npos ? 0 : close - pos));
      auto label = attribute(tag, "aria-label");
      bool text_says = !text.empty() && says_next(text);
      if (!text_says && label && !label->empty() && says_next(*label)) text_says = true;
      if (text_says && !text_next) text_next = *resolved;
      if (seen.insert(*resolved).second) out.links.push_back(*resolved);
    }
    if (next && !rel_next) rel_next = *resolved;
  }
  out.next = rel_next ? rel_next : text_next;
  if (out.next && *out.next == std::string(page_url)) out.next.reset();  // "next" to itself
  return out;
}

std::string with_query_param(std::string_view url, std::string_view name, std::string_view value) {
  std::string_view fragment;
  if (size_t hash = url.find('#'); hash != std::string_view::npos) {
    fragment = url.substr(hash);
    url = url.substr(0, hash);
  }
  size_t q = url.find('?');
  std::string out(url.substr(0, q));
  std::vector<std::string> params;
  bool replaced = false;
  std::string encoded = url_encode_component(value);
  if (q != std::string_view::npos) {
    for (std::string_view param : split(url.substr(q + 1), '&')) {
      if (param.empty()) continue;
      std::string_view key = param.substr(0, param.find('='));
      if (key == name) {
        if (!replaced) params.push_back(str_cat(name, "=", encoded));
        replaced = true;
      } else {
        params.emplace_back(param);
      }
    }
  }
  if (!replaced) params.push_back(str_cat(name, "=", encoded));
  return str_cat(out, "?", join(params, "&"), fragment);
}

}  // namespace trialmill
