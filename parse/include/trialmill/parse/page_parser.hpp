#pragma once
// A page in, parsed records out: form and format detection, the line stream, the extractor.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

// HTML and text pages larger than this are refused (hostile or broken input); API JSON pages are
// streamed study by study and may be larger.
inline constexpr size_t kMaxPageBytes = 64u * 1024u * 1024u;

// Parses one page: `emit` receives one record per study (API pages may hold thousands), and
// `on_error` one message per study of the page that gave no record while the others go on.
// Throws Error with the reason when the page as a whole gives nothing: empty, binary, too large,
// an interstitial, of no recognised format, showing no NCT ID, malformed JSON.
void parse_page_records(std::string_view bytes, const PageInput& input,
                        const std::function<void(JsonDocument&&)>& emit,
                        const std::function<void(std::string&&)>& on_error);

// The same, collected; any study error throws too.
std::vector<JsonDocument> parse_page(std::string_view bytes, const PageInput& input);

}  // namespace trialmill
