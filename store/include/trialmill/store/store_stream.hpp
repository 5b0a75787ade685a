#pragma once
// Trial records as JSON Lines into a TrialStore, a transaction per batch, the run's counts
// committed with the batch they describe: what trialmill-store does with its input, and what a
// nightly does with the records it staged.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "trialmill/store/store.hpp"

namespace trialmill {

struct StreamProgress {
  int64_t run_id = 0;  // the runs row updated with each batch; 0: none
  size_t records_read = 0;
  size_t unreadable = 0;  // lines that were not JSON

  // The store's counts with the unreadable lines counted as failed.
  StoreStats stats(const TrialStore& store) const;
};

// Adds one record to `store` (named `input` in messages) and counts it read; once `batch`
// records are pending, writes the run's counts into the batch they describe, commits and calls
// `on_batch`. The one batching rule of every writer of records: trialmill-store, `trialmill run`,
// nightly, reparse.
StoreOutcome store_batched(TrialStore& store, const JsonValue& record, std::string_view input,
                           size_t batch, StreamProgress& progress,
                           const std::function<void()>& on_batch = {});

// Stores every line of `in` (named `name` in messages: "name:LINE"); a bad line is reported and
// skipped. Commits whenever `batch` records are pending, calling `on_batch` after each commit,
// and leaves the last partial batch pending for the caller's commit().
void store_stream(std::istream& in, const std::string& name, TrialStore& store, size_t batch,
                  StreamProgress& progress, const std::function<void()>& on_batch = {});

}  // namespace trialmill
