#pragma once
// The legacy ClinicalTrials.gov <clinical_study> XML (the old bulk download, AllPublicXML; AACT's
// and the TREC clinical-trials corpora's source) -> one parsed record. Read as a stream (libxml2's
// xmlTextReader): the results section, most of a large file, is skipped without being built.
#include <string>
#include <string_view>

#include "trialmill/json.hpp"
#include "trialmill/parse/page_parser.hpp"

namespace trialmill {

// True when the bytes' start is an XML document whose root is <clinical_study>.
bool looks_like_ctgov_xml(std::string_view bytes);

// One parsed record (raw strings as the XML gives them: "Both", "Phase 1/Phase 2",
// "Anticipated", "March 2019"; normalize maps them). `source` is {format "ctgov-xml", input.url,
// input.fetched_at, sha256 of `bytes`}. Throws Error naming the line when the XML is malformed,
// or when it shows no NCT ID (and neither input.nct_id nor the URL names one).
JsonDocument parse_ctgov_xml(std::string_view bytes, const PageInput& input);

// A <textblock>'s text as a value: the common indentation removed and blank lines at the ends
// dropped. With `reflow`, each paragraph's wrapped lines are joined into one line (a line that
// starts with a list bullet starts a new line); paragraphs are separated by one blank line.
std::string textblock_value(std::string_view text, bool reflow);

}  // namespace trialmill
