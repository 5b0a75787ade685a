#include "trialmill/log.hpp"

#include <cstdio>
#include <mutex>

#include "trialmill/json.hpp"

namespace trialmill {
namespace {

LogConfig g_config;
std::mutex g_mutex;

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "?";
}

}  // namespace

void log_configure(const LogConfig& config) { g_config = config; }
const LogConfig& log_config() { return g_config; }

void log_message(LogLevel level, std::string_view input, std::string_view message) {
  if (level < g_config.min_level) return;
  std::string line;
  if (g_config.format == LogFormat::json) {
    line = "{\"program\":" + json_quote(g_config.program) + ",\"level\":" +
           json_quote(level_name(level));
    if (!input.empty()) line += ",\"input\":" + json_quote(input);
    line += ",\"message\":" + json_quote(message) + "}\n";
  } else {
    line = g_config.program + ": " + level_name(level) + ": ";
    if (!input.empty()) line.append(input).append(": ");
    line.append(message).append("\n");
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace trialmill
