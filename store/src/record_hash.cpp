#include "trialmill/store/record_hash.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "trialmill/io.hpp"

namespace trialmill {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string_view key_of(const JsonValue::ConstMemberIterator& it) {
  return {it->name.GetString(), it->name.GetStringLength()};
}

// `skip` names a member of the top-level "source" object to leave out (empty: none).
void write_sorted(const JsonValue& value, Writer& writer, std::string_view skip_in_source,
                  bool top_level) {
  if (value.IsObject()) {
    std::vector<JsonValue::ConstMemberIterator> members;
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) members.push_back(it);
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
    writer.StartObject();
    for (const auto& it : members) {
      writer.Key(it->name.GetString(), it->name.GetStringLength());
      bool is_source = top_level && key_of(it) == "source" && it->value.IsObject();
      if (is_source && !skip_in_source.empty()) {
        writer.StartObject();
        std::vector<JsonValue::ConstMemberIterator> inner;
        for (auto s = it->value.MemberBegin(); s != it->value.MemberEnd(); ++s)
          if (key_of(s) != skip_in_source) inner.push_back(s);
        std::sort(inner.begin(), inner.end(),
                  [](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
        for (const auto& s : inner) {
          writer.Key(s->name.GetString(), s->name.GetStringLength());
          write_sorted(s->value, writer, {}, false);
        }
        writer.EndObject();
      } else {
        write_sorted(it->value, writer, {}, false);
      }
    }
    writer.EndObject();
  } else if (value.IsArray()) {
    writer.StartArray();
    for (const auto& item : value.GetArray()) write_sorted(item, writer, {}, false);
    writer.EndArray();
  } else {
    value.Accept(writer);
  }
}

std::string serialize(const JsonValue& value, std::string_view skip_in_source) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  write_sorted(value, writer, skip_in_source, true);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string canonical_json(const JsonValue& value) { return serialize(value, {}); }

std::string source_record_hash(const JsonValue& record) {
  return sha256_hex(serialize(record, "fetched_at"));
}

}  // namespace trialmill
