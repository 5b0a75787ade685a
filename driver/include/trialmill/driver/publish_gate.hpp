#pragma once
// The publish gate: before a nightly run's records of a source reach the database, its figures
// are compared with the source's previous applied run. A source past a threshold is held: its
// records are kept in a file for inspection and not applied. This is what protects the database
// when a site changes its layout: the pages stop parsing, or parse with fields missing, or the
// listing shrinks.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"
#include "trialmill/store/run_sources.hpp"

namespace trialmill {

struct GateThresholds {
  // Share of items (pages, or studies of API pages) that failed to parse, above the previous
  // run's share by more than this.
  double max_parse_failure_increase = 0.10;
  // Share of records that lost a watched field their stored record had.
  double max_lost_fields_share = 0.10;
  // Fall in the number of trials the source gave, against the previous run (both complete
  // discoveries).
  double max_trial_drop_share = 0.10;
};

// The fields whose loss counts (a record that had one, and no longer does, "lost fields").
const std::vector<std::string_view>& gate_watched_fields();

// The config's "publish_gate" block (absent: the defaults), with per-source overrides under
// "sources": {"veeva": {...}}. Throws UsageError on a value that is not a number in [0, 1].
GateThresholds gate_thresholds(const JsonValue* config_root, std::string_view source);

// Why the source must be held, or nullopt. `previous` is null for a source's first run, which
// is only held for lost fields (there is nothing to compare the rest with).
std::optional<std::string> gate_verdict(const SourceRunFigures* previous,
                                        const SourceRunFigures& now, const GateThresholds& limits);

// The names of the watched fields that `stored` had (non-empty) and `incoming` has empty.
std::vector<std::string_view> lost_watched_fields(const JsonValue& stored, const JsonValue& incoming);

}  // namespace trialmill
