#pragma once
// ClinicalTrials.gov Archive site pages (one dated version of a study; a study's history list).
#include <optional>
#include <string>
#include <vector>

#include "trialmill/parse/page_view.hpp"
#include "trialmill/parse/parsed_record.hpp"

namespace trialmill {

// The version's date ("View of NCT… on 2005_06_23" -> "2005-06-23") of an Archive version page;
// nullopt for any other page.
std::optional<std::string> archive_version_date(const PageView& page);

// A study's history list ("History of NCT…", one row per version): not a record.
bool is_archive_history_page(const PageView& page);
// The version dates a history list shows, ISO, in page order.
std::vector<std::string> archive_history_dates(const PageView& page);

// The registry's "An Error Has Occurred" page (an invalid NCT ID, a server fault): the reason
// to refuse it, or nullopt for any other page.
std::optional<std::string> ctgov_error_page_reason(const PageView& page);

// Fills `record` from a version page's label cells (raw strings; source is set by the caller).
void extract_ctgov_archive(const PageView& page, ParsedRecord& record);

}  // namespace trialmill
