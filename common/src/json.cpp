#include "trialmill/json.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "trialmill/error.hpp"

namespace trialmill {

JsonDocument parse_json(std::string_view text, std::string_view what) {
  JsonDocument doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    throw make_error(what, ": invalid JSON at offset ", doc.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(doc.GetParseError()));
  }
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
  std::string text;
  while (std::getline(in_, text)) {
    ++number_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    bool blank = true;
    for (char c : text)
      if (!(c == ' ' || c == '\t')) { blank = false; break; }
    if (blank) continue;
    line.number = number_;
    line.text = std::move(text);
    return true;
  }
  return false;
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
