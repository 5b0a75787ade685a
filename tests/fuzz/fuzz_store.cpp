// libFuzzer target: any JSON text as a trial record offered to the store (an in-memory SQLite
// database, so nothing touches the disk). The store must reject what breaks the contract with an
// error and store the rest — never crash, whatever the types, sizes and nesting.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/store.hpp"

using namespace trialmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<TrialStore> store;
  static size_t inputs = 0;
  if (!store || ++inputs % 200 == 0) {
    // A fresh database now and then: the fuzzer makes thousands of source records of the same
    // few trials, and every store re-merges all of a trial's sources (by design).
    store.reset();
    log_configure({"fuzz_store", LogFormat::text, LogLevel::error});
    store = std::make_unique<TrialStore>(":memory:");
  }
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    JsonDocument record = parse_json(text, "fuzz");
    store->add(record, "fuzz");
    store->commit();
  } catch (const Error&) {
  }
  return 0;
}
