#include "trialmill/driver/record_pipeline.hpp"

#include <chrono>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/normalize/normalize_warnings.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// Only a well-formed ID names a record in messages: a hostile one could be megabytes.
std::string record_name(const PageInput& input, const JsonValue& record) {
  if (auto id = get_string(record, "nct_id"); id && is_nct_id(*id))
    return str_cat(input.name, " ", *id);
  return input.name;
}

}  // namespace

void RecordPipeline::begin() {
  pages_ = RunPages{};
  records_ = failed_ = 0;
  normalize_seconds_ = 0;
  sink_.begin();
}

void RecordPipeline::finish() {
  sink_.finish();
}

void RecordPipeline::page_unreadable() {
  ++pages_.fetched;
  ++pages_.failed;
}

void RecordPipeline::normalize_and_emit(JsonDocument&& parsed, const PageInput& input,
                                        PageOutcome& outcome) {
  std::string where = parsed.IsObject() ? record_name(input, parsed) : input.name;
  try {
    auto start =
        time_stages_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    JsonDocument record = normalize_record(parsed);
    if (time_stages_)
      normalize_seconds_ +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log_normalize_warnings(where, record);
    ++outcome.records;
    if (only_trials_ && !only_trials_->count(get_string_or(record, "nct_id", ""))) return;
    sink_.record(std::move(record), input);
  } catch (const Error& e) {
    log_error(where, e.what());
    ++outcome.failed;
  }
}

PageOutcome RecordPipeline::page_bytes(const PageInput& input, std::string_view bytes) {
  PageOutcome outcome;
  try {
    parse_page_records(
        bytes, input,
        [&](JsonDocument&& parsed) { normalize_and_emit(std::move(parsed), input, outcome); },
        [&](std::string&& message) {
          log_error(input.name, message);
          ++outcome.failed;
        });
  } catch (const std::exception& e) {
    // The page as a whole gave nothing more (malformed, not a known format, out of memory).
    log_error(input.name, e.what());
    ++outcome.failed;
    outcome.page_failed = true;
  }
  ++pages_.fetched;
  if (outcome.records) ++pages_.parsed;
  if (outcome.failed) ++pages_.failed;
  records_ += outcome.records;
  failed_ += outcome.failed;
  return outcome;
}

PageOutcome RecordPipeline::page(const PageInput& input, const std::string& path) {
  std::optional<MappedFile> file;
  try {
    file.emplace(path);
  } catch (const Error& e) {
    log_error(input.name, e.what());
    page_unreadable();
    ++failed_;
    return PageOutcome{0, 1, true};
  }
  return page_bytes(input, file->bytes());
}

}  // namespace trialmill
