#pragma once
// The SQLite schema of the store and its migrations, keyed on PRAGMA user_version.
#include <SQLiteCpp/Database.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/error.hpp"

namespace trialmill {

// The newest schema this build knows; a database with a higher user_version is refused.
inline constexpr int kSchemaVersion = 7;

// How long a writer or reader waits for another connection's lock before giving up.
inline constexpr int kBusyTimeoutMs = 30000;

struct Migration {
  int version;           // user_version after this migration
  std::string_view sql;  // statements run inside one transaction
};

// Every migration in order; migrations()[i].version == i + 1.
std::span<const Migration> migrations();

// The database cannot be used: not SQLite, unreadable, or from a newer trialmill.
class DatabaseError : public Error {
 public:
  using Error::Error;
};

// Opens (creating if needed) and migrates the database at `path`: WAL, foreign keys, busy
// timeout. Throws DatabaseError, without writing anything, when the schema is newer than ours
// or the database is not one trialmill created (another application's: byte for byte
// untouched); an existing SQLite database with no schema objects is adopted with `adopt_empty`.
SQLite::Database open_store_database(const std::string& path, bool adopt_empty = false);

// PRAGMA user_version of an open database.
int schema_version(SQLite::Database& db);

// Brings an open database up to `target_version` (kSchemaVersion; lower only to build old
// databases in tests), outside any transaction. At kSchemaVersion it also creates any index of
// the schema that is missing (create_missing_indexes).
void migrate(SQLite::Database& db, int target_version = kSchemaVersion);

// Indexes of the current schema a bulk load drops and builds again at its end.
void drop_bulk_load_indexes(SQLite::Database& db);
// The names of the current schema's indexes that the database lacks (after an interrupted bulk
// load), and the step that creates them in one transaction; returns how many it created.
std::vector<std::string> missing_indexes(SQLite::Database& db);
size_t create_missing_indexes(SQLite::Database& db);

}  // namespace trialmill
