#pragma once
// A page in, parsed records out: form and format detection, the line stream, the extractor.
#include <optional>
#include <string>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

struct PageInput {
  std::string name;                       // for messages: path, URL or "stdin:3"
  std::optional<std::string> url;         // where the page came from, when known
  std::optional<std::string> fetched_at;  // ISO 8601, when known
  std::optional<std::string> format;      // a format to use instead of detecting one
  std::optional<std::string> nct_id;      // the trial a listing said the page is for
};

// Parses one page. Throws Error with the reason when the page is empty, binary, an interstitial,
// of no recognised format, or shows no NCT ID. One record per study (API pages may hold several).
std::vector<JsonDocument> parse_page(const std::string& bytes, const PageInput& input);

}  // namespace trialmill
