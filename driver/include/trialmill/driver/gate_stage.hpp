#pragma once
// A nightly run's records, staged on disk source by source (DB.held/run-N/SOURCE.jsonl) until
// the publish gate has judged each source, so that memory stays bounded whatever the run's size;
// then the sources the gate let through are applied to the store, and the files of held sources
// stay for the operator. Staging is also where a record is compared with its stored record.
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "trialmill/driver/record_pipeline.hpp"
#include "trialmill/store/run_sources.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/store/store_stream.hpp"
#include "trialmill/store/stored_records.hpp"

namespace trialmill {

struct SourceStage {
  SourceRunFigures figures;
  std::set<std::string> trials;
  std::filesystem::path file;  // empty until its first record
  std::unique_ptr<std::ofstream> out;
};

class GateStage : public RecordSink {
 public:
  // `dir`: this run's stage directory (created at the first record).
  GateStage(SQLite::Database& db, std::filesystem::path dir);

  // The source the next records come from.
  void set_source(const std::string& name, const std::string& format);
  SourceStage& source(const std::string& name, const std::string& format);
  // Counts the record's trial, compares it with its stored record (lost watched fields are
  // counted and logged) and writes it to its source's file.
  void record(JsonDocument&& record, const PageInput& page) override;
  // Closes the files and counts each source's trials.
  void finish() override;

  std::map<std::string, SourceStage>& sources() { return sources_; }
  // Stores the staged records of source `name` (batched, see store_batched) and removes its
  // file; nothing when it staged none.
  void apply(const std::string& name, TrialStore& store, size_t batch, StreamProgress& progress,
             const std::function<void()>& on_batch);
  // Removes the run's stage directory when it is empty (no held source left a file).
  void remove_if_empty();

 private:
  void compare_with_stored(SourceStage& stage, const JsonDocument& record);
  void write(SourceStage& stage, const std::string& name, const JsonDocument& record);

  std::filesystem::path dir_;
  StoredSourceLookup stored_;
  std::map<std::string, SourceStage> sources_;
  std::string current_;
};

// Removes the stage directories under `held_root` of runs that did not end held (killed ones:
// partial, and rebuilt by any rerun).
void remove_abandoned_stages(const std::string& held_root, SQLite::Database& db);

}  // namespace trialmill
