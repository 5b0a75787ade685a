#include "trialmill/driver/nightly_summary.hpp"

#include <cstdio>

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

std::string nightly_summary_line(const NightlySummary& s, bool json) {
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.1f", s.seconds);
  const RunPages& p = s.pages;
  std::string line;
  if (json) {
    line = str_cat("{\"run\":", s.run_id, ",\"status\":", json_quote(run_status_name(s.status)),
                   ",\"seconds\":", duration, ",\"pages_fetched\":", p.fetched,
                   ",\"pages_unchanged\":", p.unchanged, ",\"pages_parsed\":", p.parsed,
                   ",\"pages_failed\":", p.failed, ",\"trials_new\":", s.trials_new,
                   ",\"trials_changed\":", s.trials_changed,
                   ",\"trials_unchanged\":", s.trials_unchanged,
                   ",\"records_stored\":", s.stored.stored(),
                   ",\"records_failed\":", s.stored.failed, ",\"records_held\":", p.records_held,
                   ",\"trials_withdrawn\":", p.trials_withdrawn, ",\"held\":[");
    for (size_t i = 0; i < s.held.size(); ++i)
      line += str_cat(i ? "," : "", "{\"source\":", json_quote(s.held[i].first),
                      ",\"reason\":", json_quote(s.held[i].second), "}");
    line += "]}";
  } else {
    line = str_cat("nightly run ", s.run_id, ": ", run_status_name(s.status), " in ", duration,
                   " s; pages ", p.fetched, " fetched (", p.unchanged, " unchanged), ", p.parsed,
                   " parsed, ", p.failed, " failed; trials ", s.trials_new, " new, ",
                   s.trials_changed, " changed, ", s.trials_unchanged, " unchanged, ",
                   p.trials_withdrawn, " withdrawn; records ", s.stored.stored(), " stored, ",
                   s.stored.failed, " failed, ", p.records_held, " held");
    if (!s.held.empty()) {
      std::vector<std::string> parts;
      for (const auto& [source, reason] : s.held) parts.push_back(str_cat(source, ": ", reason));
      line += str_cat(" (held: ", join(parts, " | "), ")");
    }
  }
  return line + "\n";
}

}  // namespace trialmill
