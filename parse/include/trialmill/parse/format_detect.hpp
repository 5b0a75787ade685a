#pragma once
// Which layout a page is, from its content (and its URL when known).
#include <optional>
#include <string>
#include <string_view>

#include "trialmill/parse/page_view.hpp"

namespace trialmill {

enum class PageForm { json, html, text };

// JSON when it starts with '{' or '[', HTML when it starts with markup, text otherwise.
PageForm detect_form(std::string_view bytes);

// A format its bytes tell before any line is read (ctgov-xml: an XML document whose root is
// <clinical_study>), or nullopt. Checked before the line-based detection and the generic reader.
std::optional<std::string> detect_document_format(std::string_view bytes);

// The source format of a page's line stream, or nullopt when no layout is recognised.
std::optional<std::string> detect_format(const PageView& page, std::string_view url = {});

// The format a URL's host implies, or nullopt.
std::optional<std::string> format_from_url(std::string_view url);

}  // namespace trialmill
