#include "trialmill/store/statement_cache.hpp"

#include "trialmill/store/record_hash.hpp"

namespace trialmill {

StatementLease StatementCache::get(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end())
    it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  it->second->tryReset();
  it->second->clearBindings();
  return StatementLease(*it->second);
}

SqlValue sql_value(const JsonValue* value) {
  if (!value || value->IsNull()) return std::monostate{};
  if (value->IsBool()) return int64_t{value->GetBool() ? 1 : 0};
  if (value->IsInt64()) return value->GetInt64();
  if (value->IsNumber()) return value->GetDouble();
  if (value->IsString()) return std::string(value->GetString(), value->GetStringLength());
  return canonical_json(*value);
}

SqlValue sql_text(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return *text;
}

void bind_value(SQLite::Statement& statement, int index, const SqlValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          statement.bind(index);
        } else {
          statement.bind(index, v);
        }
      },
      value);
}

}  // namespace trialmill
