// The word-at-a-time paths of common/text (ifind, control_byte_ratio, to_lower, collapsing) against
// the plain byte-by-byte definitions, at every alignment and near both ends of the text; and the
// API v2 parser's in-place string copy against rapidjson's own reading.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "trialmill/parse/ctgov_v2_json.hpp"
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

TEST_CASE("to_lower: ASCII capitals only, at every alignment") {
  std::string text;
  for (int i = 0; i < 256; ++i) text.push_back(static_cast<char>(i));
  text += "Inclusion CRITERIA: AGE@[`{ZAaz\xC3\x89";
  for (size_t begin = 0; begin < 9; ++begin)
    for (size_t length = 0; begin + length <= text.size(); length += 3) {
      std::string_view part = std::string_view(text).substr(begin, length);
      std::string expected(part);
      for (char& c : expected)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      CHECK(to_lower(part) == expected);
    }
}

TEST_CASE("collapse_whitespace: same as folding each run of white space, piece by piece too") {
  const std::string_view samples[] = {
      "", " ", "a", " a ", "a b", "a  b", "a \t b", "one two three four five six seven",
      "  lead and trail  ", "x\xC2\xA0y", "x \xC2\xA0 y", "caf\xC3\xA9 au lait", "\xC2\xB0 C ",
      "a\xE2\x80\x89" "b c\xE3\x80\x80" "d", "a b\n\nc d e", "\xEF\xBB\xBFx y", "1. a; 2. b"};
  for (std::string_view s : samples) {
    // The plain definition: split at white space (ASCII and the Unicode spaces), join with ' '.
    std::string expected;
    bool gap = false;
    for (size_t i = 0; i < s.size();) {
      size_t n = 0;
      auto u = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
      if (is_space(s[i])) n = 1;
      else if (u(i) == 0xC2 && u(i + 1) == 0xA0) n = 2;
      else if (u(i) == 0xE2 && u(i + 1) == 0x80 && ((u(i + 2) >= 0x80 && u(i + 2) <= 0x8B) || u(i + 2) == 0xAF)) n = 3;
      else if (u(i) == 0xE3 && u(i + 1) == 0x80 && u(i + 2) == 0x80) n = 3;
      else if (u(i) == 0xEF && u(i + 1) == 0xBB && u(i + 2) == 0xBF) n = 3;
      if (n) {
        gap = true;
        i += n;
        continue;
      }
      if (gap && !expected.empty()) expected.push_back(' ');
      gap = false;
      expected.push_back(s[i++]);
    }
    CHECK(collapse_whitespace(s) == expected);
    for (size_t cut = 0; cut <= s.size(); ++cut) {
      // Pieces cut inside a UTF-8 character are not supported; skip those cuts.
      if (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) continue;
      std::string out;
      bool pending = false;
      append_collapsed_whitespace(out, pending, s.substr(0, cut));
      append_collapsed_whitespace(out, pending, s.substr(cut));
      CHECK(out == expected);
    }
  }
}

TEST_CASE("API v2 parse: strings with escapes at every alignment read as rapidjson reads them") {
  // The page scanner finds each string's end eight bytes at a time (an escaped quote may follow a
  // backslash in the word before), and the study is parsed in place with plain runs copied eight
  // bytes at a time: after an escape the copy lags the read, which must shift every later byte.
  const std::string pieces[] = {"plain", "a\\\"b", "tab\\there", "\\\\", "caf\\u00e9 \xC3\xA9t\xC3\xA9",
                                "\\ud83d\\ude00 ok", "long run of plain text past one word", "\\/"};
  for (size_t shift = 0; shift < 20; ++shift)
    for (const std::string& first : pieces)
      for (const std::string& second : pieces) {
        std::string title = std::string(shift, 'x') + first + std::string(shift % 5, 'y') + second + "z";
        std::string description = second + std::string(shift, ' ') + first;
        std::string page = R"({"studies":[{"protocolSection":{"identificationModule":{"nctId":"NCT01234567","briefTitle":")" +
                           title + R"("},"descriptionModule":{"briefSummary":")" + description + R"("}}}]})";
        rapidjson::Document expected;
        expected.Parse(page.data(), page.size());
        REQUIRE_FALSE(expected.HasParseError());
        const auto& study = expected["studies"][0]["protocolSection"];
        trialmill::PageInput input;
        input.name = "test";
        auto result = trialmill::parse_ctgov_v2_json(page, input);
        REQUIRE(result.records.size() == 1);
        CHECK(std::string(result.records[0]["brief_title"].GetString()) ==
              std::string(study["identificationModule"]["briefTitle"].GetString()));
        CHECK(std::string(result.records[0]["brief_summary"].GetString()) ==
              std::string(study["descriptionModule"]["briefSummary"].GetString()));
      }
}
