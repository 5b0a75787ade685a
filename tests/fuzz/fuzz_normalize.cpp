// libFuzzer target: any JSON text as a parsed record. Normalize must map, warn or reject it with
// an Error — never crash — whatever the types and values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/record_model.hpp"

using namespace trialmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    JsonDocument parsed = parse_json(text, "fuzz");
    JsonDocument record = normalize_record(parsed);
    (void)validate_trial_record(record);
  } catch (const Error&) {
  }
  return 0;
}
