#include "trialmill/store/record_hash.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/record_model.hpp"

namespace trialmill {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string_view key_of(const JsonValue::ConstMemberIterator& it) {
  return {it->name.GetString(), it->name.GetStringLength()};
}

// The members of an object sorted by key (std::sort on the members in order: equal keys, only
// possible in hostile input, come out as they always have). Small objects, nearly all of them,
// are sorted in place without allocating.
class SortedMembers {
 public:
  explicit SortedMembers(const JsonValue& object) {
    size_t n = object.MemberCount();
    if (n > small_.size()) large_.reserve(n);
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      if (n <= small_.size()) small_[size_++] = it;
      else large_.push_back(it);
    }
    std::sort(begin(), end(), [](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
  }
  JsonValue::ConstMemberIterator* begin() { return large_.empty() ? small_.data() : large_.data(); }
  JsonValue::ConstMemberIterator* end() { return begin() + (large_.empty() ? size_ : large_.size()); }

 private:
  std::array<JsonValue::ConstMemberIterator, 16> small_;
  size_t size_ = 0;
  std::vector<JsonValue::ConstMemberIterator> large_;
};

// `skip` names a member of the top-level "source" object to leave out (empty: none).
void write_sorted(const JsonValue& value, Writer& writer, std::string_view skip_in_source,
                  bool top_level) {
  if (value.IsObject()) {
    SortedMembers members(value);
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

FirstSourceTexts first_source_texts(const JsonValue& record, std::string_view nct_id) {
  // Each top-level member's key (as the writer quoted it) and value, compact and canonical, as
  // [begin, end) in two buffers; the texts wanted are then put together from these by copying.
  struct Piece {
    size_t key_begin, key_end, compact_begin, compact_end, canonical_begin, canonical_end;
  };
  std::vector<Piece> pieces;
  pieces.reserve(record.MemberCount());
  rapidjson::StringBuffer compact, canonical;
  {
    Writer compact_writer(compact);
    compact_writer.StartObject();
    for (auto it = record.MemberBegin(); it != record.MemberEnd(); ++it) {
      Piece piece{};
      // The writer puts a ',' before every key but the first, and the ':' before the value.
      piece.key_begin = compact.GetSize() + (pieces.empty() ? 0 : 1);
      compact_writer.Key(it->name.GetString(), it->name.GetStringLength());
      piece.key_end = compact.GetSize();
      piece.compact_begin = piece.key_end + 1;
      it->value.Accept(compact_writer);
      piece.compact_end = compact.GetSize();
      // Each value on its own, as write_sorted writes it below the top level (the source object
      // without its fetched_at, as the source hash wants).
      Writer canonical_writer(canonical);
      piece.canonical_begin = canonical.GetSize();
      if (key_of(it) == "source" && it->value.IsObject()) {
        canonical_writer.StartObject();
        SortedMembers inner(it->value);
        for (auto s : inner) {
          if (key_of(s) == "fetched_at") continue;
          canonical_writer.Key(s->name.GetString(), s->name.GetStringLength());
          write_sorted(s->value, canonical_writer, {}, false);
        }
        canonical_writer.EndObject();
      } else {
        write_sorted(it->value, canonical_writer, {}, false);
      }
      piece.canonical_end = canonical.GetSize();
      pieces.push_back(piece);
    }
    compact_writer.EndObject();
  }
  auto text_of = [](const rapidjson::StringBuffer& buffer, size_t begin, size_t end) {
    return std::string_view(buffer.GetString() + begin, end - begin);
  };
  auto key_of_piece = [&](size_t i) { return text_of(compact, pieces[i].key_begin, pieces[i].key_end); };
  auto compact_of = [&](size_t i) {
    return text_of(compact, pieces[i].compact_begin, pieces[i].compact_end);
  };
  auto canonical_of = [&](size_t i) {
    return text_of(canonical, pieces[i].canonical_begin, pieces[i].canonical_end);
  };
  auto index_of = [&](JsonValue::ConstMemberIterator it) { return static_cast<size_t>(it - record.MemberBegin()); };
  // {"key":value,...} from (quoted key, value) pairs.
  class ObjectText {
   public:
    explicit ObjectText(size_t reserve) { text_.reserve(reserve); }
    void add(std::string_view quoted_key, std::string_view value) {
      text_ += text_.empty() ? '{' : ',';
      text_.append(quoted_key).append(1, ':').append(value);
    }
    std::string finish() {
      if (text_.empty()) text_ += '{';
      text_ += '}';
      return std::move(text_);
    }

   private:
    std::string text_;
  };

  FirstSourceTexts out;
  out.json.assign(compact.GetString(), compact.GetSize());

  // The source hash: the top level sorted, each value's canonical piece.
  {
    ObjectText text(canonical.GetSize() + 64 * pieces.size());
    SortedMembers sorted(record);
    for (auto it : sorted) text.add(key_of_piece(index_of(it)), canonical_of(index_of(it)));
    out.hash = sha256_hex(text.finish());
  }

  // The merged record of this one source: nct_id, then every contract field, in contract order,
  // with the record's value when it has one (the first member of that name) and the empty value
  // of the field's kind otherwise (merge.cpp). Contract names need no escaping.
  struct Field {
    std::string quoted_name;
    std::optional<size_t> member;
    bool list;
  };
  std::vector<Field> fields;
  fields.reserve(trial_fields().size());
  for (const FieldSpec& spec : trial_fields()) {
    if (spec.name == "nct_id") continue;
    Field field{str_cat('"', spec.name, '"'), std::nullopt, is_list_kind(spec.kind)};
    auto found = record.FindMember(rapidjson::StringRef(spec.name.data(), spec.name.size()));
    if (found != record.MemberEnd() && !is_empty_value(found->value)) field.member = index_of(found);
    fields.push_back(std::move(field));
  }
  auto empty_of = [](const Field& f) { return f.list ? std::string_view("[]") : std::string_view("null"); };
  const std::string nct_key = "\"nct_id\"", nct_value = json_quote(nct_id);
  {
    ObjectText text(compact.GetSize() + 64);
    text.add(nct_key, nct_value);
    for (const Field& f : fields) text.add(f.quoted_name, f.member ? compact_of(*f.member) : empty_of(f));
    out.merged_json = text.finish();
  }
  {
    std::vector<const Field*> sorted;
    for (const Field& f : fields) sorted.push_back(&f);
    std::sort(sorted.begin(), sorted.end(),
              [](const Field* a, const Field* b) { return a->quoted_name < b->quoted_name; });
    ObjectText text(canonical.GetSize() + 64);
    bool nct_added = false;
    for (const Field* f : sorted) {
      if (!nct_added && nct_key < f->quoted_name) {
        text.add(nct_key, nct_value);
        nct_added = true;
      }
      text.add(f->quoted_name, f->member ? canonical_of(*f->member) : empty_of(*f));
    }
    if (!nct_added) text.add(nct_key, nct_value);
    out.content_hash = sha256_hex(text.finish());
  }
  return out;
}

}  // namespace trialmill
