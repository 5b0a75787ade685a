#pragma once
// Shapes a value must have before an extractor takes it for a field. A value without its
// field's shape is dropped (with a parse warning naming field and value), never stored: a cookie
// notice is not a title, "Phase" is not a phase, a help text is not a status.
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

// A trial's title as a page heading shows it: a few words to a few hundred characters, mostly
// letters, not markup, not site chrome, not a list item, not a sentence of prose.
bool looks_like_title(std::string_view line);
// Why `line` is not a title (for the warning), or nullopt when it looks like one.
// A title under a title label may read like a sentence ("Effect of X on Y in Patients Who Are
// …"), so `labelled` skips the prose test (not the chrome, markup and pointer tests).
std::optional<std::string> title_defect(std::string_view line, bool labelled = false);
// The title without the site's name and boilerplate around it: "Title | Site", "Title - Site
// Clinical Trials", "Clinical Trial: Title", "Title (Print version)".
std::string clean_title(std::string_view line);
// A sentence of running text rather than a heading.
bool looks_like_prose(std::string_view line);
// An enrollment as pages show it: a count, maybe with a word ("120 participants", "Approx. 30").
bool looks_like_enrollment(std::string_view line);
// A date as pages show it: a year with maybe month and day, in any common order.
bool looks_like_date(std::string_view line);
// A study type: interventional, observational, expanded access (with qualifiers).
bool looks_like_study_type(std::string_view line);

}  // namespace trialmill
