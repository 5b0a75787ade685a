#pragma once
// What the commands that fetch (nightly, reingest) share on the way from the fetch stage to the
// pipeline: a fetched page as parse input (the fetch options: fetch_options_for,
// option_groups.hpp).
#include <optional>
#include <string>
#include <vector>

#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/manifest.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/parse/page_parser.hpp"

namespace trialmill {

// The page a manifest line names, named by its URL. A source with no parser of its own (format
// "auto") gives no format: detection and the generic reader read its pages.
inline PageInput page_input(const ManifestLine& page) {
  return PageInput{page.url, page.url, page.fetched_at, page_format_for_parse(page.format),
                   page.nct_id};
}

}  // namespace trialmill
