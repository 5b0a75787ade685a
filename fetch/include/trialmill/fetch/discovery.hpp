#pragma once
// Reading discovery pages (sitemaps, listings, ClinicalTrials.gov API pages) into what to fetch
// next. Pure functions over page bytes: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

struct SitemapEntry {
  std::string loc;
  std::optional<std::string> lastmod;  // as written: 2026-11-20 or 2026-11-20T02:00:00Z
};

struct Sitemap {
  bool is_index = false;  // <sitemapindex>: the entries are further sitemaps
  std::vector<SitemapEntry> entries;
};

// Tolerant of namespaces prefixes, CDATA and entity-escaped URLs; ignores what it does not know.
Sitemap parse_sitemap(std::string_view xml);

// Valid NCT IDs named on a listing page (HTML, text or JSON), first occurrence order, no repeats.
std::vector<std::string> listing_nct_ids(std::string_view page);

struct CtgovPage {
  std::vector<std::string> nct_ids;  // studies[].protocolSection.identificationModule
  std::optional<std::string> next_page_token;
};
// Throws Error when the page is not an API v2 /studies response.
CtgovPage parse_ctgov_page(std::string_view json);

// /api/v2/studies?format=json&pageSize=N[&filter.advanced=AREA[LastUpdatePostDate]RANGE[since,MAX]]
// [&pageToken=T], every value percent-encoded.
std::string ctgov_page_url(std::string_view endpoint, int page_size,
                           const std::optional<std::string>& since,
                           const std::optional<std::string>& page_token);

// /api/v2/studies?format=json&fields=NCTId&pageSize=N&filter.ids=ID1,ID2,…: which of these
// studies the API still has (the removal sweep). Throws Error on anything but NCT IDs.
std::string ctgov_ids_url(std::string_view endpoint, const std::vector<std::string>& nct_ids);

// The lookup template with {nct_id} filled; throws Error unless `nct_id` is a valid NCT ID, so
// that nothing taken from a page reaches a URL unchecked.
std::string lookup_url_for(std::string_view url_template, std::string_view nct_id);

// True when an ISO 8601 date or date-time is on or after `since` (YYYY-MM-DD); compares the
// date part only, and keeps entries whose date is unreadable.
bool on_or_after(std::string_view date, std::string_view since);

}  // namespace trialmill
