#pragma once
// A fetched page to trial records, in process: parse, then normalize each record. What
// trialmill-parse | trialmill-normalize do for one page, with the same messages on stderr.
#include <cstddef>
#include <functional>
#include <string>

#include "trialmill/json.hpp"
#include "trialmill/parse/page_parser.hpp"

namespace trialmill {

struct PageRecordsOutcome {
  size_t records = 0;
  size_t failed = 0;  // the page (1) or each of its studies that gave no record
};

// Parses the bytes at `path` as `input` and hands each normalized record to `emit`. Parse and
// normalize errors are logged naming input.name (and the NCT ID when known) and counted.
PageRecordsOutcome page_to_records(const PageInput& input, const std::string& path,
                                   const std::function<void(JsonDocument&&)>& emit);

}  // namespace trialmill
