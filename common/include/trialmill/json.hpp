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

// Parses one JSON text; throws Error naming `what` and the offset on malformed input.
JsonDocument parse_json(std::string_view text, std::string_view what);

// One line of JSON text (no trailing newline), compact, UTF-8.
std::string to_json(const JsonValue& value);
// Indented, for humans and golden files.
std::string to_pretty_json(const JsonValue& value);
std::string json_quote(std::string_view s);

// Reads JSON Lines from a stream; blank lines are skipped. Malformed lines are reported through
// the returned line's error so that the caller can go on with the next one.
class JsonLineReader {
 public:
  struct Line {
    size_t number = 0;  // 1-based line number in the stream
    std::string text;
  };
  explicit JsonLineReader(std::istream& in) : in_(in) {}
  bool next(Line& line);

 private:
  std::istream& in_;
  size_t number_ = 0;
};

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
