#include "trialmill/fetch/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <string>

#include "trialmill/text.hpp"

namespace trialmill {

bool is_retryable_curl_code(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool is_retryable_status(long status) {
  return status == 429 || (status >= 500 && status <= 599);
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  std::string_view v = trim(value);
  if (v.empty()) return std::nullopt;
  long seconds = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec == std::errc() && end == v.data() + v.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // IMF-fixdate, the only date form servers are required to send: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  std::string s(v);
  if (!strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::max(delta, std::chrono::milliseconds(0));
}

std::chrono::milliseconds backoff_delay(const HttpSettings& http, int attempt, std::mt19937& rng) {
  double step = static_cast<double>(http.backoff_base_ms);
  for (int i = 1; i < attempt && step < static_cast<double>(http.backoff_max_ms); ++i) step *= 2;
  step = std::min(step, static_cast<double>(http.backoff_max_ms));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<long>(step * jitter(rng)));
}

}  // namespace trialmill
