#pragma once
// Progress on a terminal (never under cron: see log_status_wanted), redrawn at most ten times a
// second so that drawing never costs what the work does.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace trialmill {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  // `text` is called only when a redraw is due.
  void show(const std::function<std::string()>& text);

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

// "storing [########------------]  400/1000 records"
std::string progress_bar(std::string_view what, size_t done, size_t total);

}  // namespace trialmill
