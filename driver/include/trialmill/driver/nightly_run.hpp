#pragma once
// The body of `trialmill nightly` once its options are parsed and its lock is held: fetch every
// source, each page through the pipeline into the publish gate's stage, judge each source, apply
// the ones let through, sweep withdrawals, record the run and print its summary. Each of those
// jobs lives in its own file (gate_stage, publish_gate, withdrawal_sweep, nightly_summary,
// progress_line, fault_injection); this one orders them.
#include <memory>
#include <optional>
#include <string>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/fetch/source_config.hpp"
#include "trialmill/json.hpp"

namespace trialmill {

// The sources config, read once: the fetch settings and the document the gate's thresholds are
// read from. Throws UsageError (unreadable) or StartError (not JSON).
struct RunConfig {
  FetchConfig fetch;
  JsonDocument json;
};
RunConfig load_run_config(const std::string& path, const std::optional<std::string>& base);

class NightlyRun {
 public:
  NightlyRun(const NightlyOptions& options, const FetchConfig& config,
             const JsonDocument& config_json, LockedRun& run);
  ~NightlyRun();
  NightlyRun(const NightlyRun&) = delete;
  NightlyRun& operator=(const NightlyRun&) = delete;

  // Returns the exit code (kExitOk, kExitInputsFailed, kExitHeld).
  int run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace trialmill
