#pragma once
// The pipeline's sink that stores each record at once, a transaction per batch with the run's
// counts in it (store_batched): `trialmill run` and `trialmill reparse`.
#include <cstddef>
#include <cstdint>
#include <functional>

#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/store_stream.hpp"

namespace trialmill {

class StoreSink : public RecordSink {
 public:
  // `run_id`: the runs row updated with each batch (0: none).
  StoreSink(TrialStore& store, size_t batch, int64_t run_id) : store_(store), batch_(batch) {
    progress_.run_id = run_id;
  }
  void record(JsonDocument&& record, const PageInput& page) override {
    store_batched(store_, record, page.name, batch_, progress_);
  }
  // Commits the last partial batch.
  void finish() override { store_.commit(); }

  size_t records() const { return progress_.records_read; }
  StoreStats stats() const { return progress_.stats(store_); }

 private:
  TrialStore& store_;
  size_t batch_;
  StreamProgress progress_;
};

}  // namespace trialmill
