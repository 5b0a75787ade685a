// libFuzzer target: any bytes as a page (text, HTML or API JSON, detected as trialmill-parse
// would), with each format forced in turn. A clear Error is fine; a crash, a hang, a leak or
// undefined behaviour is not.
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
      std::string(kFormatTrialx), std::string(kFormatCtgovJson)};
  PageInput input;
  input.name = "fuzz";
  if (!bytes.empty()) {
    input.format = kFormats[static_cast<unsigned char>(bytes[0]) % std::size(kFormats)];
    bytes.remove_prefix(1);
  }
  try {
    parse_page_records(
        bytes, input, [](JsonDocument&&) {}, [](std::string&&) {});
  } catch (const Error&) {
  }
  return 0;
}
