#pragma once
// Logging to stderr only: stdout carries data. One line per event, as text or JSON.
#include <string>
#include <string_view>

namespace trialmill {

enum class LogFormat { text, json };
enum class LogLevel { debug, info, warning, error };

struct LogConfig {
  std::string program = "trialmill";
  LogFormat format = LogFormat::text;
  LogLevel min_level = LogLevel::info;
};

void log_configure(const LogConfig& config);
const LogConfig& log_config();

// `input` names what the message is about (a file, URL, NCT ID); may be empty.
void log_message(LogLevel level, std::string_view input, std::string_view message);

inline void log_error(std::string_view input, std::string_view message) {
  log_message(LogLevel::error, input, message);
}
inline void log_warning(std::string_view input, std::string_view message) {
  log_message(LogLevel::warning, input, message);
}
inline void log_info(std::string_view message) { log_message(LogLevel::info, {}, message); }

// A progress line on a terminal, redrawn in place and wiped before any log line so the two never
// mix. Off unless enabled; enable it only when stderr is a terminal and the log is plain text
// and not quiet (log_status_wanted()), so that cron and machines get plain lines only.
bool log_status_wanted();
void log_status_enable(bool enabled);
void log_status(std::string_view text);
void log_status_clear();  // wipes the line; call before the command's last words

}  // namespace trialmill
