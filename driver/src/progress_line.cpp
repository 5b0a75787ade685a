#include "trialmill/driver/progress_line.hpp"

#include <algorithm>

#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled) {
  log_status_enable(enabled);
}

ProgressLine::~ProgressLine() {
  log_status_enable(false);
}

void ProgressLine::show(const std::function<std::string()>& text) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  log_status(text());
}

std::string progress_bar(std::string_view what, size_t done, size_t total) {
  constexpr size_t kWidth = 30;
  size_t filled = total ? std::min(kWidth, done * kWidth / total) : kWidth;
  return str_cat(what, " [", std::string(filled, '#'), std::string(kWidth - filled, '-'), "] ",
                 done, "/", total, " records");
}

}  // namespace trialmill
