#pragma once
// Pages without an NCT ID (hospital and cancer-center trial finders) name their trial by a
// protocol number or only a title. Before such a record is stored it is resolved to a stored
// trial: its org_study_id, then its secondary_ids (each against stored org_study_id and secondary
// identifiers), then its exact official or brief title, all compared without case, spaces or
// punctuation. Exactly one trial must match, else the record is refused with the reason.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

struct Resolution {
  std::optional<std::string> nct_id;  // the one trial matched
  std::string how;      // "org_study_id \"S1418\"", "official_title" (for the warning)
  std::string refusal;  // why none: nothing matched, or several did (named)
};

// Identifiers and titles compared as keys: letters and digits only, lower case.
std::string resolution_key(std::string_view s);

Resolution resolve_trial(SQLite::Database& db, const JsonValue& record);

// Resolves a record whose nct_id is null in place: sets nct_id and adds a normalize warning
// saying how, or throws Error with the refusal.
void resolve_in_place(SQLite::Database& db, JsonDocument& record);

}  // namespace trialmill
