#pragma once
// Which source wins a canonical field: an ordered list of format patterns, best first. A
// database keeps its own (meta 'source_precedence'); without one, the standard order below.
#include <SQLiteCpp/Database.h>

#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

class SourcePrecedence {
 public:
  // ctgov-v2-json (the registry's structured data), ctgov-html (its page), veeva (a curated
  // mirror), aggregator-* (third-party sites). docs/schema.md repeats it for downstream users.
  static const SourcePrecedence& standard();

  // Patterns are source formats ("veeva") or prefixes ending in '*' ("aggregator-*"), each of
  // lower-case letters, digits and '-'. Throws UsageError on an empty list, a malformed pattern
  // or one given twice.
  explicit SourcePrecedence(std::vector<std::string> patterns);
  // "ctgov-v2-json, veeva, aggregator-*" (commas, spaces optional).
  static SourcePrecedence parse_list(std::string_view text);

  // 0 for the best; formats no pattern matches rank after every pattern.
  int rank(std::string_view format) const;
  const std::vector<std::string>& patterns() const { return patterns_; }
  std::string to_list() const;  // "a, b, c"
  bool operator==(const SourcePrecedence& other) const { return patterns_ == other.patterns_; }

 private:
  std::vector<std::string> patterns_;
};

// The database's precedence (meta 'source_precedence', a JSON array of patterns), or the
// standard one when it has none. Throws DatabaseError when the stored value is unreadable.
SourcePrecedence load_precedence(SQLite::Database& db);
// Writes it to meta, in the caller's transaction if one is open.
void save_precedence(SQLite::Database& db, const SourcePrecedence& precedence);

}  // namespace trialmill
