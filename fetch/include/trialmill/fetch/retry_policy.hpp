#pragma once
// When a failed transfer is worth another attempt, and how long to wait before it.
#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include "trialmill/fetch/source_config.hpp"

namespace trialmill {

// Timeouts, refused or reset connections, truncated bodies: the server or the path may recover.
bool is_retryable_curl_code(CURLcode code);
// 429 and 5xx; other statuses are answers, not accidents.
bool is_retryable_status(long status);

// Retry-After as delta-seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// Exponential backoff for the retry after `attempt` failed attempts (1-based), capped, with
// jitter in [50%, 100%] of the step so that many clients do not retry in lockstep.
std::chrono::milliseconds backoff_delay(const HttpSettings& http, int attempt, std::mt19937& rng);

}  // namespace trialmill
