#pragma once
// The manifest lines trialmill-fetch writes ({"path","url","fetched_at","format","nct_id",...}),
// read back as pages to parse. The one reader of them: trialmill-parse and `trialmill run` read
// their standard input through it.
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "trialmill/parse/page_parser.hpp"

namespace trialmill {

struct ManifestPage {
  PageInput input;   // named by its URL, else by its path
  std::string path;  // the archived copy to read
};

// Reads `in` line by line (blank lines skipped). Each usable line goes to `on_page`; a line that
// is not a JSON object with a "path" goes to `on_error` with "NAME:LINE" and the reason. `format`,
// when given, replaces the lines' formats (--format).
void read_manifest_pages(
    std::istream& in, std::string_view name, const std::optional<std::string>& format,
    const std::function<void(const ManifestPage& page)>& on_page,
    const std::function<void(const std::string& where, const std::string& message)>& on_error);

}  // namespace trialmill
