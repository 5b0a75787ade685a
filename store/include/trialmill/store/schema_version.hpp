#pragma once
// The schema version alone, without SQLite: every program's --version tells it, including the
// stages that never open the database (they link trialmill_schema_version, not the store).
#include <string>

namespace trialmill {

// The newest schema this build knows; a database with a higher user_version is refused.
inline constexpr int kSchemaVersion = 7;

// What --version says after the program's version: " (database schema 6)".
inline std::string schema_version_note() {
  return " (database schema " + std::to_string(kSchemaVersion) + ")";
}

}  // namespace trialmill
