#pragma once
// The nightly's removal sweep, as AACT does it: besides what a complete listing no longer names
// (store/withdrawal.hpp, sweep_vanished), each night up to sweep_per_night of each source's least
// recently confirmed trials are asked for by ID; "not found" marks the source record vanished and
// the trial withdrawn from source when no record of it is left — never deleted — and an answer
// for a marked trial clears the mark.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "trialmill/fetch/fetch_run.hpp"
#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

struct LookupSweepCounts {
  size_t asked = 0;
  size_t not_found = 0;  // source records newly marked vanished
  size_t returned = 0;   // source records unmarked
  size_t failed = 0;     // IDs whose question got no answer
  size_t trials_withdrawn = 0;
  size_t trials_returned = 0;
};

// Confirms what discovery listed (source_confirmations) for the sources in `sources` that are in
// `applied` (not held by the publish gate), then sweeps those that can be asked by ID. Commits its own transactions; the HTTP
// questions are asked outside any.
LookupSweepCounts run_lookup_sweep(SQLite::Database& db, const FetchConfig& config,
                                   const std::vector<const SourceConfig*>& sources,
                                   const FetchSummary& summary, const std::set<std::string>& applied);

}  // namespace trialmill
