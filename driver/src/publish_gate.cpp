#include "trialmill/driver/publish_gate.hpp"

#include <cmath>
#include <cstdio>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// Items a source tried to parse: records, and pages or studies that gave none.
double failure_share(const SourceRunFigures& f) {
  size_t items = f.records + f.parse_failed;
  return items ? static_cast<double>(f.parse_failed) / static_cast<double>(items) : 0.0;
}

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", share * 100.0);
  return buffer;
}

void read_thresholds(const JsonValue& block, std::string_view where, GateThresholds& limits) {
  if (!block.IsObject()) throw UsageError(str_cat(where, " must be an object"));
  auto read = [&](const char* key, double& target) {
    const JsonValue* value = find_member(block, key);
    if (!value) return;
    if (!value->IsNumber() || value->GetDouble() < 0.0 || value->GetDouble() > 1.0)
      throw UsageError(str_cat(where, ".", key, " must be a number from 0 to 1"));
    target = value->GetDouble();
  };
  read("max_parse_failure_increase", limits.max_parse_failure_increase);
  read("max_lost_fields_share", limits.max_lost_fields_share);
  read("max_trial_drop_share", limits.max_trial_drop_share);
}

}  // namespace

const std::vector<std::string_view>& gate_watched_fields() {
  // What every format shows for nearly every trial; losing one is a sign of a broken page, not
  // of the trial changing (contacts, locations and outcomes do come and go).
  static const std::vector<std::string_view> fields = {
      "brief_title", "overall_status", "conditions",           "phases",
      "study_type",  "enrollment",     "eligibility_criteria", "inclusion_criteria",
      "sex",         "minimum_age",    "start_date",           "lead_sponsor",
      "interventions"};
  return fields;
}

GateThresholds gate_thresholds(const JsonValue* config_root, std::string_view source) {
  GateThresholds limits;
  if (!config_root || !config_root->IsObject()) return limits;
  const JsonValue* block = find_member(*config_root, "publish_gate");
  if (!block) return limits;
  read_thresholds(*block, "publish_gate", limits);
  if (const JsonValue* sources = find_member(*block, "sources")) {
    if (!sources->IsObject()) throw UsageError("publish_gate.sources must be an object");
    if (const JsonValue* own = find_member(*sources, source))
      read_thresholds(*own, str_cat("publish_gate.sources.", source), limits);
  }
  return limits;
}

std::optional<std::string> gate_verdict(const SourceRunFigures* previous,
                                        const SourceRunFigures& now, const GateThresholds& limits) {
  std::vector<std::string> reasons;
  // A source that gave nothing because its listing or sitemap failed (a 404 for everything)
  // vanished whole: a held source, not "some inputs failed".
  if (!now.discovery_complete && now.records == 0 && now.parse_failed == 0 && now.fetch_failed > 0)
    reasons.push_back(str_cat("the source gave no pages: its listing failed (", now.fetch_failed,
                              " fetch errors)"));
  if (now.records_compared > 0) {
    double share = static_cast<double>(now.records_lost_fields) /
                   static_cast<double>(now.records_compared);
    if (share > limits.max_lost_fields_share)
      reasons.push_back(str_cat(now.records_lost_fields, " of ", now.records_compared,
                                " records lost fields their stored record had (", percent(share),
                                ", limit ", percent(limits.max_lost_fields_share), ")"));
  }
  if (previous) {
    double before = failure_share(*previous), after = failure_share(now);
    if (after - before > limits.max_parse_failure_increase)
      reasons.push_back(str_cat(now.parse_failed, " of ", now.records + now.parse_failed,
                                " pages failed to parse (", percent(after), ", previous run ",
                                percent(before), ")"));
    // Only complete discoveries list every trial: an incremental run or one cut short by fetch
    // errors (reported, exit 1) gives fewer, and marks nothing withdrawn for it.
    if (now.discovery_complete && previous->discovery_complete && previous->trials > 0 &&
        now.trials < previous->trials) {
      double drop = static_cast<double>(previous->trials - now.trials) /
                    static_cast<double>(previous->trials);
      if (drop > limits.max_trial_drop_share)
        reasons.push_back(str_cat("trials fell from ", previous->trials, " to ", now.trials, " (-",
                                  percent(drop), ", limit ", percent(limits.max_trial_drop_share),
                                  ")"));
    }
  }
  if (reasons.empty()) return std::nullopt;
  return join(reasons, "; ");
}

std::vector<std::string_view> lost_watched_fields(const JsonValue& stored, const JsonValue& incoming) {
  std::vector<std::string_view> lost;
  for (std::string_view field : gate_watched_fields()) {
    const JsonValue* before = find_member(stored, field);
    if (!before || is_empty_value(*before)) continue;
    const JsonValue* after = find_member(incoming, field);
    if (!after || is_empty_value(*after)) lost.push_back(field);
  }
  return lost;
}

}  // namespace trialmill
