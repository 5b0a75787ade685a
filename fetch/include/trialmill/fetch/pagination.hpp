#pragma once
// Listing pages: the links they carry and the way to their next page. Pure functions over page
// bytes, no I/O; the fetch run decides what to follow (docs/fetch.md, "Listings").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

struct ListingLinks {
  std::vector<std::string> links;   // every <a href>, resolved, in page order, no repeats
  std::optional<std::string> next;  // the page's "next page" link, when it shows one
};

// Reads <a href> and <link href> of an HTML listing page resolved against `page_url`. The next
// page is the link marked rel="next" (HTML's own pagination hint), else an anchor whose text or
// aria-label says "next" (Next, Next page, Next ›, », ›): what sites show a reader.
ListingLinks read_listing_links(std::string_view html, std::string_view page_url);

// `url` with query parameter `name` set to `value` (replaced when present, added when not):
// the page/offset form of pagination (?page=3, ?offset=40).
std::string with_query_param(std::string_view url, std::string_view name, std::string_view value);

// The most listing pages followed when a source sets no max_pages: a site whose "next" never
// ends (a calendar, a loop the URL set cannot tell) must not hold the run forever.
inline constexpr int kDefaultListingPageCap = 1000;

}  // namespace trialmill
