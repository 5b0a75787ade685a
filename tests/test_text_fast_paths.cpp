// The word-at-a-time paths of common/text (ifind, control_byte_ratio) against the plain
// byte-by-byte definitions, at every alignment and near both ends of the text.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "trialmill/text.hpp"

using namespace trialmill;

namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

size_t slow_ifind(std::string_view h, std::string_view n, size_t from) {
  if (n.empty()) return from <= h.size() ? from : std::string_view::npos;
  for (size_t i = from; i + n.size() <= h.size(); ++i) {
    size_t k = 0;
    while (k < n.size() && fold(h[i + k]) == fold(n[k])) ++k;
    if (k == n.size()) return i;
  }
  return std::string_view::npos;
}

double slow_control_ratio(std::string_view s) {
  if (s.empty()) return 0.0;
  size_t bad = 0;
  for (unsigned char c : s)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++bad;
  return static_cast<double>(bad) / static_cast<double>(s.size());
}

}  // namespace

TEST_CASE("ifind: same answer as a byte-by-byte search at every offset") {
  const std::string text =
      "Inclusion Criteria:\n- ECOG 0-1; exclusion of NCT0123 and nct01234567 \xC3\x89\xE2\x89\xA5 "
      "CLUSION clusion ClUsIoN @` [{ x\x80\xFF z";
  const std::string_view needles[] = {"clusion", "CLUSION", "nct", "NCT01234567", "x\x80", "@", "`",
                                      "[", "{", "z", "Z", "\xE2\x89\xA5", "absent", "n", "Inclusion Criteria:\n"};
  for (std::string_view needle : needles)
    for (size_t from = 0; from <= text.size() + 1; ++from)
      for (size_t cut = 0; cut <= text.size(); cut += 7) {
        std::string_view hay = std::string_view(text).substr(0, cut);
        CHECK(ifind(hay, needle, from) == slow_ifind(hay, needle, from));
      }
  CHECK(ifind("", "", 0) == 0);
  CHECK(ifind("abc", "", 3) == 3);
  CHECK(ifind("abc", "", 4) == std::string_view::npos);
  CHECK(ifind("abc", "abcd") == std::string_view::npos);
  // '@' | 0x20 is '`': only letters are matched case-insensitively.
  CHECK(ifind("xxxxxxxx@xxxxxxx", "`") == std::string_view::npos);
  CHECK(ifind("xxxxxxxxAbxxxxxxxx", "aB") == 8);
  CHECK(icontains("........ Exclusion criteria", "EXCLUSION"));
}

TEST_CASE("control_byte_ratio: same answer as a byte-by-byte count") {
  std::string text;
  for (int i = 0; i < 300; ++i) text.push_back(static_cast<char>((i * 37 + 11) % 256));
  for (size_t begin = 0; begin < 9; ++begin)
    for (size_t length = 0; begin + length <= text.size(); length += 5) {
      std::string_view part = std::string_view(text).substr(begin, length);
      CHECK(control_byte_ratio(part) == slow_control_ratio(part));
    }
  CHECK(control_byte_ratio("plain text,\tone line\r\n\f") == 0.0);
  CHECK(control_byte_ratio(std::string(16, '\x01')) == 1.0);
}
