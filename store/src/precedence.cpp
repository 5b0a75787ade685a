#include "trialmill/store/precedence.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

bool valid_pattern(std::string_view pattern) {
  std::string_view body = pattern.ends_with('*') ? pattern.substr(0, pattern.size() - 1) : pattern;
  if (body.empty()) return false;
  return std::all_of(body.begin(), body.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

const SourcePrecedence& SourcePrecedence::standard() {
  static const SourcePrecedence order(
      {"ctgov-v2-json", "ctgov-xml", "ctgov-html", "veeva", "aggregator-*", "ctgov-archive"});
  return order;
}

SourcePrecedence::SourcePrecedence(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {
  if (patterns_.empty()) throw UsageError("the source precedence names no format");
  for (size_t i = 0; i < patterns_.size(); ++i) {
    if (!valid_pattern(patterns_[i]))
      throw UsageError(str_cat("not a source format or prefix*: '", patterns_[i], "'"));
    if (std::find(patterns_.begin(), patterns_.begin() + static_cast<long>(i), patterns_[i]) !=
        patterns_.begin() + static_cast<long>(i))
      throw UsageError(str_cat("'", patterns_[i], "' is named twice in the source precedence"));
  }
}

SourcePrecedence SourcePrecedence::parse_list(std::string_view text) {
  std::vector<std::string> patterns;
  for (const auto& item : split_trimmed(text, ","))
    if (!item.empty()) patterns.push_back(item);
  return SourcePrecedence(std::move(patterns));
}

int SourcePrecedence::rank(std::string_view format) const {
  for (size_t i = 0; i < patterns_.size(); ++i) {
    std::string_view pattern = patterns_[i];
    bool match = pattern.ends_with('*') ? format.starts_with(pattern.substr(0, pattern.size() - 1))
                                        : format == pattern;
    if (match) return static_cast<int>(i);
  }
  return static_cast<int>(patterns_.size());
}

std::string SourcePrecedence::to_list() const { return join(patterns_, ", "); }

SourcePrecedence load_precedence(SQLite::Database& db) {
  SQLite::Statement select(db, "SELECT value FROM meta WHERE key = 'source_precedence'");
  if (!select.executeStep()) return SourcePrecedence::standard();
  const std::string text = select.getColumn(0).getString();
  try {
    JsonDocument doc = parse_json(text, "meta source_precedence");
    std::vector<std::string> patterns;
    if (!doc.IsArray()) throw make_error("not a JSON array");
    for (const auto& item : doc.GetArray()) {
      if (!item.IsString()) throw make_error("not a list of strings");
      patterns.emplace_back(item.GetString(), item.GetStringLength());
    }
    return SourcePrecedence(std::move(patterns));
  } catch (const Error& e) {
    throw DatabaseError(str_cat(db.getFilename(), ": meta source_precedence ", json_quote(text),
                                " is unreadable: ", e.what()));
  }
}

void save_precedence(SQLite::Database& db, const SourcePrecedence& precedence) {
  std::string json = "[";
  for (size_t i = 0; i < precedence.patterns().size(); ++i)
    json += (i ? "," : "") + json_quote(precedence.patterns()[i]);
  json += "]";
  SQLite::Statement upsert(db,
                           "INSERT INTO meta (key, value) VALUES ('source_precedence', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, json);
  upsert.exec();
}

}  // namespace trialmill
