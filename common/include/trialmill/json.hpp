#pragma once
// RapidJSON helpers: reading and writing JSON Lines, and typed access to members.
#include <rapidjson/document.h>

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

using JsonValue = rapidjson::Value;
using JsonDocument = rapidjson::Document;
using JsonAllocator = rapidjson::Document::AllocatorType;

// Deeper than any record; keeps rapidjson's parser and every recursive reader of a document off
// deep recursion (a line of 100,000 '[' would otherwise overflow the stack).
inline constexpr size_t kMaxJsonDepth = 512;
// JSON Lines longer than this are skipped unread (hostile or broken input), not held in memory.
inline constexpr size_t kMaxJsonLineBytes = 64u * 1024u * 1024u;

// Parses one JSON text; throws Error naming `what` and the offset on malformed input, on invalid
// UTF-8, on nesting deeper than kMaxJsonDepth and on a \u escape of a lone UTF-16 surrogate (which
// would decode to bytes that are not UTF-8).
JsonDocument parse_json(std::string_view text, std::string_view what);

// The offset of the first \u escape in JSON text that decodes to no character a record may hold:
// a UTF-16 surrogate without its pair, or, when `nul_too`, U+0000 (C strings end there); npos when
// there is none.
size_t find_bad_unicode_escape(std::string_view json, bool nul_too);
// The JSON text with those escapes repaired: a lone surrogate becomes \uFFFD, \u0000 is dropped.
std::string repair_bad_unicode_escapes(std::string_view json);

// Whether the JSON text may hold a number whose digits are all zero with an exponent ("0e89",
// "-0.00E-40"). RapidJSON 1.1.0's full-precision conversion of one normalizes a zero significand
// (__builtin_clzll(0): undefined behaviour); such a text is parsed at normal precision, which is
// exact for it (zero is zero). Strings may give false positives, which cost nothing.
bool has_zero_significand_exponent(std::string_view json);

// One line of JSON text (no trailing newline), compact, UTF-8.
std::string to_json(const JsonValue& value);
// Indented, for humans and golden files.
std::string to_pretty_json(const JsonValue& value);
std::string json_quote(std::string_view s);

// Reads JSON Lines from a stream; blank lines are skipped. A line longer than `max_line_bytes` is
// read through and dropped: it comes back with `error` set and `text` empty, so that the caller
// reports it and goes on with the next one. A read error (a directory given as a file) comes back
// the same way, as a last line with `error` set.
class JsonLineReader {
 public:
  struct Line {
    size_t number = 0;  // 1-based line number in the stream
    std::string text;
    std::string error;  // why the line was skipped; empty for a line that was read
  };
  explicit JsonLineReader(std::istream& in, size_t max_line_bytes = kMaxJsonLineBytes)
      : in_(in), max_line_bytes_(max_line_bytes) {}
  bool next(Line& line);

 private:
  std::istream& in_;
  size_t max_line_bytes_;
  size_t number_ = 0;
  bool broken_ = false;  // a read error ended the stream
};

// parse_json of a line read by JsonLineReader; a line it skipped throws Error with the reason.
JsonDocument parse_json_line(const JsonLineReader::Line& line, std::string_view what);

// ---- reading members -------------------------------------------------------------------------
const JsonValue* find_member(const JsonValue& object, std::string_view key);
// The string at `key`, or nullopt when absent, null or not a string.
std::optional<std::string> get_string(const JsonValue& object, std::string_view key);
std::string get_string_or(const JsonValue& object, std::string_view key, std::string fallback);
// Strings of an array member; non-string elements are skipped.
std::vector<std::string> get_string_list(const JsonValue& object, std::string_view key);
bool is_empty_value(const JsonValue& value);  // null, "", [], {}

// ---- building --------------------------------------------------------------------------------
JsonValue make_string(std::string_view s, JsonAllocator& alloc);
JsonValue make_optional_string(const std::optional<std::string>& s, JsonAllocator& alloc);
JsonValue make_string_array(const std::vector<std::string>& items, JsonAllocator& alloc);
// Sets (or replaces) object[key] = value.
void set_member(JsonValue& object, std::string_view key, JsonValue value, JsonAllocator& alloc);
void set_string(JsonValue& object, std::string_view key, std::string_view s, JsonAllocator& alloc);
void set_optional_string(JsonValue& object, std::string_view key,
                         const std::optional<std::string>& s, JsonAllocator& alloc);

}  // namespace trialmill
