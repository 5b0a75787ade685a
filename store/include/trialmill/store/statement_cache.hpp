#pragma once
// Prepared statements compiled once per connection and reused for every record.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "trialmill/json.hpp"

namespace trialmill {

// A statement borrowed from the cache; reset on return so that no read stays open.
class StatementLease {
 public:
  explicit StatementLease(SQLite::Statement& statement) : statement_(statement) {}
  ~StatementLease() { statement_.tryReset(); }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

 private:
  SQLite::Statement& statement_;
};

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  // The statement for `sql`, bindings cleared.
  StatementLease get(const std::string& sql);

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// A value ready to bind: NULL, integer, real or text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

// null/absent -> NULL, bool -> 0/1, numbers as numbers, strings as text, anything else as JSON.
SqlValue sql_value(const JsonValue* value);
SqlValue sql_text(const std::optional<std::string>& text);
void bind_value(SQLite::Statement& statement, int index, const SqlValue& value);

}  // namespace trialmill
