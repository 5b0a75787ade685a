#include "trialmill/json.hpp"

#include <cerrno>
#include <cstring>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "trialmill/error.hpp"

namespace trialmill {

namespace {

// Four hex digits at s[i], or -1.
int hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = s[k];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Calls f(offset, is_nul) for each \uXXXX escape that is a lone surrogate or U+0000, in order,
// until f returns false. Backslashes only occur inside strings, so no string state is needed.
template <typename F>
void for_each_bad_escape(std::string_view s, F&& f) {
  for (size_t i = s.find('\\'); i != std::string_view::npos; i = s.find('\\', i)) {
    if (i + 1 >= s.size()) return;
    if (s[i + 1] != 'u') {
      i += 2;
      continue;
    }
    int cp = hex4(s, i + 2);
    if (cp < 0) {  // malformed: rapidjson refuses it
      i += 2;
      continue;
    }
    bool bad = cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      int low = i + 7 < s.size() && s[i + 6] == '\\' && s[i + 7] == 'u' ? hex4(s, i + 8) : -1;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        i += 12;
        continue;
      }
      bad = true;
    }
    if (bad && !f(i, cp == 0)) return;
    i += 6;
  }
}

// Hands rapidjson's events to the document, refusing nesting deeper than kMaxJsonDepth before
// the parser recurses into it.
class DepthLimitedHandler {
 public:
  explicit DepthLimitedHandler(JsonDocument& doc) : doc_(doc) {}
  bool too_deep = false;

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned i) { return doc_.Uint(i); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t i) { return doc_.Uint64(i); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }

 private:
  bool enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    too_deep = true;
    return false;
  }
  JsonDocument& doc_;
  size_t depth_ = 0;
};

}  // namespace

size_t find_bad_unicode_escape(std::string_view json, bool nul_too) {
  size_t found = std::string_view::npos;
  for_each_bad_escape(json, [&](size_t at, bool is_nul) {
    if (is_nul && !nul_too) return true;
    found = at;
    return false;
  });
  return found;
}

std::string repair_bad_unicode_escapes(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  size_t done = 0;
  for_each_bad_escape(json, [&](size_t at, bool is_nul) {
    out.append(json.substr(done, at - done));
    if (!is_nul) out.append("\\uFFFD");
    done = at + 6;
    return true;
  });
  out.append(json.substr(done));
  return out;
}

bool has_zero_significand_exponent(std::string_view json) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t e = json.find_first_of("eE"); e != std::string_view::npos;
       e = json.find_first_of("eE", e + 1)) {
    // Back over the significand: digits and a point, every digit a zero, at least one.
    size_t b = e;
    bool zeros = true, any = false;
    while (b > 0 && (digit(json[b - 1]) || json[b - 1] == '.')) {
      --b;
      if (json[b] != '.') {
        any = true;
        zeros = zeros && json[b] == '0';
      }
    }
    if (any && zeros) return true;
  }
  return false;
}

JsonDocument parse_json(std::string_view text, std::string_view what) {
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag;
  JsonDocument doc;
  rapidjson::ParseResult result;
  bool too_deep = false;
  const bool full_precision = !has_zero_significand_exponent(text);
  auto generate = [&](JsonDocument& handler_doc) {
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(stream);
    DepthLimitedHandler handler(handler_doc);
    rapidjson::Reader reader;
    result = full_precision ? reader.Parse<kFlags | rapidjson::kParseFullPrecisionFlag>(input, handler)
                            : reader.Parse<kFlags>(input, handler);
    too_deep = handler.too_deep;
    return !result.IsError();
  };
  doc.Populate(generate);
  if (result.IsError()) {
    throw make_error(what, ": invalid JSON at offset ", result.Offset(), ": ",
                     too_deep ? str_cat("nested deeper than ", kMaxJsonDepth, " levels")
                              : std::string(rapidjson::GetParseError_En(result.Code())));
  }
  if (size_t at = find_bad_unicode_escape(text, false); at != std::string_view::npos)
    throw make_error(what, ": invalid JSON at offset ", at, ": \\u escape of a lone UTF-16 surrogate");
  return doc;
}

std::string to_json(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string to_pretty_json(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  writer.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string json_quote(std::string_view s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool JsonLineReader::next(Line& line) {
  if (broken_) return false;
  // Read in chunks so that a line over the limit is never held whole.
  char chunk[1 << 16];
  std::string text;
  for (;;) {
    text.clear();
    size_t length = 0;
    bool any = false;
    for (;;) {
      errno = 0;
      in_.getline(chunk, sizeof chunk);
      // A read error (EISDIR for a directory given as FILE, EIO) is not a full chunk: taken as
      // one, the loop below would clear it and read again forever. It ends the stream, as one
      // skipped line that says why.
      if (in_.bad()) {
        broken_ = true;
        line.number = ++number_;
        line.text.clear();
        line.error = str_cat("read error: ", errno ? std::strerror(errno) : "unknown error");
        return true;
      }
      auto n = static_cast<size_t>(in_.gcount());
      bool full = in_.fail() && !in_.eof();  // the chunk filled before the newline
      bool ended = !in_.fail() && !in_.eof();  // the newline was read (and counted in n)
      size_t data = ended ? n - 1 : n;
      any = any || n > 0;
      length += data;
      if (length <= max_line_bytes_) text.append(chunk, data);
      else if (!text.empty()) std::string().swap(text);
      if (!full) break;
      in_.clear();
    }
    if (!any) return false;
    ++number_;
    line.number = number_;
    line.error.clear();
    if (length > max_line_bytes_) {
      line.text.clear();
      line.error = str_cat("line too long: ", length, " bytes (limit ", max_line_bytes_, "), skipped");
      return true;
    }
    if (!text.empty() && text.back() == '\r') text.pop_back();
    bool blank = true;
    for (char c : text)
      if (!(c == ' ' || c == '\t')) { blank = false; break; }
    if (blank) continue;
    line.text = std::move(text);
    return true;
  }
}

JsonDocument parse_json_line(const JsonLineReader::Line& line, std::string_view what) {
  if (!line.error.empty()) throw make_error(what, ": ", line.error);
  return parse_json(line.text, what);
}

const JsonValue* find_member(const JsonValue& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(
      JsonValue(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> get_string(const JsonValue& object, std::string_view key) {
  const JsonValue* v = find_member(object, key);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::string get_string_or(const JsonValue& object, std::string_view key, std::string fallback) {
  auto s = get_string(object, key);
  return s ? *s : std::move(fallback);
}

std::vector<std::string> get_string_list(const JsonValue& object, std::string_view key) {
  std::vector<std::string> out;
  const JsonValue* v = find_member(object, key);
  if (!v || !v->IsArray()) return out;
  for (const auto& item : v->GetArray())
    if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
  return out;
}

bool is_empty_value(const JsonValue& value) {
  if (value.IsNull()) return true;
  if (value.IsString()) return value.GetStringLength() == 0;
  if (value.IsArray()) return value.Empty();
  if (value.IsObject()) return value.MemberCount() == 0;
  return false;
}

JsonValue make_string(std::string_view s, JsonAllocator& alloc) {
  return JsonValue(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

JsonValue make_optional_string(const std::optional<std::string>& s, JsonAllocator& alloc) {
  return s ? make_string(*s, alloc) : JsonValue(rapidjson::kNullType);
}

JsonValue make_string_array(const std::vector<std::string>& items, JsonAllocator& alloc) {
  JsonValue array(rapidjson::kArrayType);
  array.Reserve(static_cast<rapidjson::SizeType>(items.size()), alloc);
  for (const auto& item : items) array.PushBack(make_string(item, alloc), alloc);
  return array;
}

void set_member(JsonValue& object, std::string_view key, JsonValue value, JsonAllocator& alloc) {
  auto it = object.FindMember(
      JsonValue(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (it != object.MemberEnd()) {
    it->value = std::move(value);
  } else {
    object.AddMember(make_string(key, alloc), std::move(value), alloc);
  }
}

void set_string(JsonValue& object, std::string_view key, std::string_view s, JsonAllocator& alloc) {
  set_member(object, key, make_string(s, alloc), alloc);
}

void set_optional_string(JsonValue& object, std::string_view key,
                         const std::optional<std::string>& s, JsonAllocator& alloc) {
  set_member(object, key, make_optional_string(s, alloc), alloc);
}

}  // namespace trialmill
