#pragma once
// The page-kind gate: a page gives a record only when it shows one trial. Listing and search
// pages, version-history lists, error pages, cookie walls and markup no parser reads are told
// apart here, before any extractor runs, so that no extractor has to guess.
#include <optional>
#include <string>
#include <string_view>

#include "trialmill/parse/page_view.hpp"

namespace trialmill {

// Why the page is not one trial's page whatever its format (an error page, a history list of a
// study's versions, a listing or search result, a cookie wall); nullopt when it may be one.
std::optional<std::string> not_one_trial(const PageView& page);

// Why a page that no format was detected for gives no record, when its kind is known: an XML
// document (named by its root element) or a ClinicalTrials.gov Archive version page. Called only
// after detection found no format, so a parser for such input, once detection names its format,
// takes precedence.
std::optional<std::string> unread_markup(std::string_view bytes, const PageView& page);

// A line of site chrome rather than trial content: a cookie notice, a skip link, a menu entry,
// a site-wide notice (holiday closure, "official website of …"), a breadcrumb.
bool is_chrome_line(std::string_view line);

}  // namespace trialmill
