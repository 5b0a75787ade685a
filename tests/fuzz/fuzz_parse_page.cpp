// libFuzzer target: any bytes as a page (text, HTML or API JSON, detected as trialmill-parse
// would), with each format forced in turn. A clear Error is fine; a crash, a hang, a leak or
// undefined behaviour is not. Built once per parser too (TRIALMILL_FUZZ_FORMAT set: that format
// forced on every input, fuzz_parse_<format>), so each parser gets a fuzzing budget of its own.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "trialmill/error.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/record_model.hpp"

using namespace trialmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first byte picks the format to force (or detection), so one target covers every parser.
  static const std::optional<std::string> kFormats[] = {
      std::nullopt, std::string(kFormatVeeva), std::string(kFormatCtgovHtml), std::string(kFormatMeddatax),
      std::string(kFormatTrialx), std::string(kFormatCtgovJson), std::string(kFormatGeneric)};
  PageInput input;
  input.name = "fuzz";
#ifdef TRIALMILL_FUZZ_FORMAT
  (void)kFormats;
  input.format = std::string(TRIALMILL_FUZZ_FORMAT);
#else
  if (!bytes.empty()) {
    input.format = kFormats[static_cast<unsigned char>(bytes[0]) % std::size(kFormats)];
    bytes.remove_prefix(1);
  }
#endif
  try {
    parse_page_records(
        bytes, input, [](JsonDocument&&) {}, [](std::string&&) {});
  } catch (const Error&) {
  }
  return 0;
}
