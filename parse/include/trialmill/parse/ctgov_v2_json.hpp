#pragma once
// ClinicalTrials.gov API v2 JSON in, parsed records out: a single study ({"protocolSection":…}),
// a /api/v2/studies page ({"studies":[…],"nextPageToken":…}) or a bare array of studies.
// Pages can be hundreds of MB, so the page is never parsed as one DOM: a scanner finds each
// study's extent and only that slice is parsed, keeping memory bounded by one study.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/parse/parsed_record.hpp"

namespace trialmill {

// One study of a page that gave no record (no valid NCT ID, not an object, malformed inside).
// The page's other studies are still parsed.
struct CtgovV2StudyError {
  size_t index = 0;                   // position in the page's studies (0 for a single study)
  size_t offset = 0;                  // byte offset in the page where the study (or its fault) is
  std::optional<std::string> nct_id;  // the study's nctId when it had an unusable one
  std::string message;                // ready for the log: "study 3 at offset 1234: …"
};

struct CtgovV2Result {
  std::vector<JsonDocument> records;
  std::vector<CtgovV2StudyError> errors;
};

// Calls `emit` with one parsed record per usable study, in page order, and `on_error` for each
// study that gives none. Throws Error naming the byte offset when the page itself is not JSON of
// a known shape (malformed or truncated outside a study, no "studies"/"protocolSection", a
// single-study page that is malformed). The page is delimited before the first study is
// emitted, so a truncated page throws before any record; only a fault the delimiting pass cannot
// see (a missing ',' between studies) can throw after some records were emitted.
// `source` is {format "ctgov-v2-json", input.url, input.fetched_at, sha256 of `bytes`}.
// A single-study page without nctId takes input.nct_id, else the one NCT ID in input.url (with a
// parse warning), as HTML pages do; a study of a multi-study page never does.
// Invalid UTF-8 is replaced per study (with a warning), so `bytes` need not be sanitized first.
void for_each_ctgov_v2_study(std::string_view bytes, const PageInput& input,
                             const std::function<void(JsonDocument&&)>& emit,
                             const std::function<void(CtgovV2StudyError&&)>& on_error);

// The same, collected. Throws as above (then nothing is returned).
CtgovV2Result parse_ctgov_v2_json(std::string_view bytes, const PageInput& input);

// Fills `record` from one API study object (raw API strings and enums, see
// docs/parsed-record.md); a value of the wrong JSON type is skipped with a parse warning.
// Does not check the NCT ID nor fill `source`.
void map_ctgov_v2_study(const JsonValue& study, ParsedRecord& record);

}  // namespace trialmill
