#include "trialmill/log.hpp"

#include <unistd.h>

#include <cstdio>
#include <map>
#include <mutex>

#include "trialmill/json.hpp"

namespace trialmill {
namespace {

LogConfig g_config;
std::mutex g_mutex;
bool g_status_enabled = false;
bool g_status_shown = false;  // a status line is on screen (guarded by g_mutex)

// With g_mutex held.
void wipe_status() {
  if (!g_status_shown) return;
  std::fputs("\r\033[K", stderr);
  g_status_shown = false;
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "?";
}

// A page with a million bad items must not print a million lines: past kMaxPerInput warnings
// and errors about one input (a file, "stdin": the part before ":line" or " NCT…"), they are
// counted, and the count is printed once at exit.
constexpr size_t kMaxPerInput = 1000;

std::string_view input_key(std::string_view input) {
  input = input.substr(0, input.find(' '));
  size_t colon = input.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < input.size() &&
      input.find_first_not_of("0123456789", colon + 1) == std::string_view::npos)
    input = input.substr(0, colon);
  return input;
}

struct Suppressed {
  std::map<std::string, size_t, std::less<>> printed, dropped;  // guarded by g_mutex
  ~Suppressed() {
    for (const auto& [input, count] : dropped)
      std::fprintf(stderr,
                   "%s: warning: %s: %zu more warnings and errors about it were not printed\n",
                   g_config.program.c_str(), input.c_str(), count);
  }
};
Suppressed g_suppressed;

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
  if (level >= LogLevel::warning && !input.empty()) {
    std::string_view key = input_key(input);
    auto it = g_suppressed.printed.find(key);
    if (it == g_suppressed.printed.end())
      it = g_suppressed.printed.emplace(std::string(key), 0).first;
    if (++it->second > kMaxPerInput) {
      ++g_suppressed.dropped[it->first];
      return;
    }
  }
  wipe_status();
  std::fwrite(line.data(), 1, line.size(), stderr);
}

bool log_status_wanted() {
  return isatty(STDERR_FILENO) && g_config.format == LogFormat::text &&
         g_config.min_level <= LogLevel::info;
}

void log_status_enable(bool enabled) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!enabled) wipe_status();
  g_status_enabled = enabled;
}

void log_status(std::string_view text) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_status_enabled) return;
  std::string line = "\r\033[K" + g_config.program + ": ";
  line.append(text);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
  g_status_shown = true;
}

void log_status_clear() {
  std::lock_guard<std::mutex> lock(g_mutex);
  wipe_status();
  std::fflush(stderr);
}

}  // namespace trialmill
