#include "trialmill/store/store_stream.hpp"

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

StoreStats StreamProgress::stats(const TrialStore& store) const {
  StoreStats stats = store.stats();
  stats.failed += unreadable;
  return stats;
}

StoreOutcome store_batched(TrialStore& store, const JsonValue& record, std::string_view input,
                           size_t batch, StreamProgress& progress,
                           const std::function<void()>& on_batch) {
  ++progress.records_read;
  StoreOutcome outcome = store.add(record, input);
  if (store.pending() >= batch) {
    // The run's counts go in with the batch they describe.
    if (progress.run_id)
      update_run(store.database(), progress.run_id, progress.records_read, progress.stats(store),
                 RunStatus::running);
    store.commit();
    if (on_batch) on_batch();
  }
  return outcome;
}

void store_stream(std::istream& in, const std::string& name, TrialStore& store, size_t batch,
                  StreamProgress& progress, const std::function<void()>& on_batch) {
  JsonLineReader reader(in);
  JsonLineReader::Line line;
  while (reader.next(line)) {
    std::string input = str_cat(name, ":", line.number);
    JsonDocument record;
    try {
      record = parse_json_line(line, "rejected");
    } catch (const Error& e) {
      log_error(input, e.what());
      ++progress.records_read;
      ++progress.unreadable;
      continue;
    }
    store_batched(store, record, input, batch, progress, on_batch);
  }
}

}  // namespace trialmill
