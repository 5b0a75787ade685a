#pragma once
// One process, one pipeline: a page's bytes -> parse -> normalize -> a sink (the store, the
// publish gate's stage, a collection). Every driver command (run, nightly, reingest, reparse,
// load) goes through it, so the stages are wired, counted and their messages logged in one
// place. Its lifecycle is that of osm2pgsql's outputs: begin() once, page() per page, finish()
// once; the sink sees the same three steps.
//
// A new page format or extractor plugs in below parse_page_records (parse/); a new store
// feature is a sink, or lives behind TrialStore::add; neither changes the pipeline.
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "trialmill/json.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/store/runs.hpp"

namespace trialmill {

// Where normalized records go.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void begin() {}
  // One normalized record of `page`. Throwing Error rejects it: logged and counted as failed.
  virtual void record(JsonDocument&& record, const PageInput& page) = 0;
  virtual void finish() {}
};

struct PageOutcome {
  size_t records = 0;        // normalized records (handed to the sink unless filtered out)
  size_t failed = 0;         // the page (1) or each of its studies that gave no record
  bool page_failed = false;  // the page as a whole gave nothing more
};

class RecordPipeline {
 public:
  explicit RecordPipeline(RecordSink& sink) : sink_(sink) {}
  RecordPipeline(const RecordPipeline&) = delete;
  RecordPipeline& operator=(const RecordPipeline&) = delete;

  // Only records of these trials reach the sink (reingest, reparse of some trials).
  void only_trials(std::set<std::string> nct_ids) { only_trials_ = std::move(nct_ids); }
  // Measure the time spent normalizing (for load's figures); off: no clock is read.
  void time_stages(bool on) { time_stages_ = on; }

  void begin();
  // The page at `path` (mapped, never read whole).
  PageOutcome page(const PageInput& input, const std::string& path);
  // A page already in memory.
  PageOutcome page_bytes(const PageInput& input, std::string_view bytes);
  // A page that never reached the parser (the fetch or the manifest line failed): counted.
  void page_unreadable();
  void finish();

  // pages.fetched/parsed/failed of every page() and page_unreadable() since begin().
  const RunPages& pages() const { return pages_; }
  size_t records() const { return records_; }
  size_t failed() const { return failed_; }
  double normalize_seconds() const { return normalize_seconds_; }

 private:
  void normalize_and_emit(JsonDocument&& parsed, const PageInput& input, PageOutcome& outcome);

  RecordSink& sink_;
  std::optional<std::set<std::string>> only_trials_;
  bool time_stages_ = false;
  RunPages pages_;
  size_t records_ = 0;
  size_t failed_ = 0;
  double normalize_seconds_ = 0;
};

}  // namespace trialmill
