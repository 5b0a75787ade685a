#include "trialmill/fetch/discovery.hpp"

#include <set>

#include "trialmill/error.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

// The text of the first <name>…</name> (any namespace prefix) in `block`.
std::optional<std::string> element_text(std::string_view block, std::string_view name) {
  size_t pos = 0;
  while ((pos = block.find('<', pos)) != std::string_view::npos) {
    size_t end = block.find('>', pos);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view tag = block.substr(pos + 1, end - pos - 1);
    size_t colon = tag.find(':');
    std::string_view local = colon == std::string_view::npos ? tag : tag.substr(colon + 1);
    if (local == name) {
      size_t close = block.find("</", end);
      if (close == std::string_view::npos) return std::nullopt;
      std::string text(trim(block.substr(end + 1, close - end - 1)));
      if (text.rfind("<![CDATA[", 0) == 0 && text.size() >= 12)
        text = text.substr(9, text.size() - 12);
      text = replace_all(text, "&lt;", "<");
      text = replace_all(text, "&gt;", ">");
      text = replace_all(text, "&quot;", "\"");
      text = replace_all(text, "&apos;", "'");
      text = replace_all(text, "&amp;", "&");
      return std::string(trim(text));
    }
    pos = end + 1;
  }
  return std::nullopt;
}

// Each <name …>…</name> block, namespace prefixes allowed.
std::vector<std::string_view> element_blocks(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> blocks;
  size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos) {
    size_t end = xml.find('>', pos);
    if (end == std::string_view::npos) break;
    std::string_view tag = xml.substr(pos + 1, end - pos - 1);
    tag = tag.substr(0, tag.find_first_of(" \t\r\n/"));
    size_t colon = tag.find(':');
    std::string_view local = colon == std::string_view::npos ? tag : tag.substr(colon + 1);
    if (local == name && xml[end - 1] != '/') {
      std::string close = str_cat("</", tag, ">");
      size_t stop = xml.find(close, end);
      if (stop == std::string_view::npos) break;
      blocks.push_back(xml.substr(end + 1, stop - end - 1));
      pos = stop + close.size();
    } else {
      pos = end + 1;
    }
  }
  return blocks;
}

}  // namespace

Sitemap parse_sitemap(std::string_view xml) {
  Sitemap map;
  std::vector<std::string_view> blocks = element_blocks(xml, "url");
  if (blocks.empty()) {
    blocks = element_blocks(xml, "sitemap");
    map.is_index = !blocks.empty();
  }
  for (std::string_view block : blocks) {
    auto loc = element_text(block, "loc");
    if (!loc || loc->empty()) continue;
    map.entries.push_back({*loc, element_text(block, "lastmod")});
  }
  return map;
}

std::vector<std::string> listing_nct_ids(std::string_view page) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& id : find_all_nct_ids(page)) {
    std::string upper = to_upper(id);
    if (is_nct_id(upper) && seen.insert(upper).second) out.push_back(upper);
  }
  return out;
}

CtgovPage parse_ctgov_page(std::string_view json) {
  JsonDocument doc = parse_json(json, "ClinicalTrials.gov API page");
  if (!doc.IsObject()) throw make_error("ClinicalTrials.gov API page is not an object");
  const JsonValue* studies = find_member(doc, "studies");
  if (!studies || !studies->IsArray())
    throw make_error("ClinicalTrials.gov API page has no \"studies\"");
  CtgovPage page;
  for (const auto& study : studies->GetArray()) {
    const JsonValue* protocol = study.IsObject() ? find_member(study, "protocolSection") : nullptr;
    const JsonValue* ident =
        protocol && protocol->IsObject() ? find_member(*protocol, "identificationModule") : nullptr;
    if (!ident || !ident->IsObject()) continue;
    if (auto id = get_string(*ident, "nctId"); id && is_nct_id(*id)) page.nct_ids.push_back(*id);
  }
  if (auto token = get_string(doc, "nextPageToken"); token && !token->empty())
    page.next_page_token = token;
  return page;
}

std::string ctgov_page_url(std::string_view endpoint, int page_size,
                           const std::optional<std::string>& since,
                           const std::optional<std::string>& page_token) {
  std::string url(endpoint);
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += str_cat("format=json&pageSize=", page_size);
  // filter.advanced, not query.term: a filter does not rank, and the API documents it as the
  // place for date ranges (AREA[LastUpdatePostDate]RANGE[from,MAX]).
  if (since)
    url += "&filter.advanced=" +
           url_encode_component(str_cat("AREA[LastUpdatePostDate]RANGE[", *since, ",MAX]"));
  if (page_token) url += "&pageToken=" + url_encode_component(*page_token);
  return url;
}

std::string ctgov_ids_url(std::string_view endpoint, const std::vector<std::string>& nct_ids) {
  std::string ids;
  for (const auto& id : nct_ids) {
    if (!is_nct_id(id)) throw make_error("not an NCT ID: ", id);
    ids += str_cat(ids.empty() ? "" : ",", id);
  }
  std::string url(endpoint);
  url += url.find('?') == std::string::npos ? '?' : '&';
  // fields=NCTId: the sweep needs to know only which studies answer, not their records.
  return str_cat(url, "format=json&fields=NCTId&pageSize=", nct_ids.size(),
                 "&filter.ids=", url_encode_component(ids));
}

std::string lookup_url_for(std::string_view url_template, std::string_view nct_id) {
  if (!is_nct_id(nct_id)) throw make_error("not an NCT ID: ", nct_id);
  return replace_all(std::string(url_template), "{nct_id}", nct_id);
}

bool on_or_after(std::string_view date, std::string_view since) {
  std::string_view day = trim(date).substr(0, 10);
  if (day.size() < 4) return true;
  // ISO dates order lexically; a shorter date (2026-11) compares by its own precision.
  return day >= since.substr(0, day.size());
}

}  // namespace trialmill
