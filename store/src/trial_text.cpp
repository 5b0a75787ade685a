#include "trialmill/store/trial_text.hpp"

#include <charconv>

#include "trialmill/error.hpp"

namespace trialmill {
namespace {

// The indexed columns of trials_fts, as in the v2 migration.
constexpr std::string_view kFtsColumns =
    "nct_id, brief_title, official_title, acronym, brief_summary, detailed_description, "
    "conditions, interventions, eligibility_criteria";

// The trials columns the view copies as they are, in trials_fts order (conditions and
// interventions, at 6 and 7, are built from lists).
constexpr std::array<std::string_view, TrialText::kColumns> kScalarFields = {
    "nct_id", "brief_title", "official_title", "acronym", "brief_summary", "detailed_description",
    "", "", "eligibility_criteria"};

// A scalar as the trials column holds it: text, or NULL. Anything else makes `from_view`.
std::optional<std::string> scalar_text(const JsonValue* value, bool& from_view) {
  if (!value || value->IsNull()) return std::nullopt;
  if (!value->IsString()) {
    from_view = true;
    return std::nullopt;
  }
  return std::string(value->GetString(), value->GetStringLength());
}

// SQLite's trim(X): spaces only, both ends.
std::string_view trim_spaces(std::string_view s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

const JsonValue* list_of(const JsonValue& record, std::string_view field) {
  const JsonValue* value = find_member(record, field);
  return value && value->IsArray() ? value : nullptr;
}

// group_concat(x, '; ') over the items in order; NULL (nullopt) when there are none.
void append_item(std::optional<std::string>& joined, std::string_view item) {
  if (joined) joined->append("; ");
  else joined.emplace();
  joined->append(item);
}

}  // namespace

int64_t trial_text_key(std::string_view nct_id) {
  int64_t key = 0;
  if (nct_id.size() > 3) std::from_chars(nct_id.data() + 3, nct_id.data() + nct_id.size(), key);
  return key;
}

TrialText trial_text(const JsonValue& canonical) {
  TrialText text;
  const std::string nct_id = get_string_or(canonical, "nct_id", "");
  text.key = trial_text_key(nct_id);
  for (size_t i = 0; i < kScalarFields.size(); ++i)
    if (!kScalarFields[i].empty())
      text.columns[i] = scalar_text(find_member(canonical, kScalarFields[i]), text.from_view);

  // conditions: the trial_conditions rows (non-empty items, see insert_child_rows).
  if (const JsonValue* conditions = list_of(canonical, "conditions")) {
    for (const auto& item : conditions->GetArray()) {
      if (is_empty_value(item)) continue;
      if (!item.IsString()) text.from_view = true;
      else append_item(text.columns[6], {item.GetString(), item.GetStringLength()});
    }
  }
  // interventions: trim(name || ' ' || other names as their JSON array text, '[]' as '').
  if (const JsonValue* interventions = list_of(canonical, "interventions")) {
    for (const auto& item : interventions->GetArray()) {
      const JsonValue* name = find_member(item, "name");
      const JsonValue* other = find_member(item, "other_names");
      if (name && !name->IsNull() && !name->IsString()) text.from_view = true;
      std::string piece = name && name->IsString() ? std::string(name->GetString(), name->GetStringLength())
                                                   : std::string();
      piece += ' ';
      if (other && other->IsArray() && !other->Empty()) piece += to_json(*other);
      std::string_view trimmed = trim_spaces(piece);
      // group_concat gives an empty first item differently across SQLite versions: the view decides.
      if (trimmed.empty()) text.from_view = true;
      append_item(text.columns[7], trimmed);
    }
  }
  return text;
}

void create_text_staging(SQLite::Database& db) {
  db.exec(str_cat("CREATE TEMP TABLE IF NOT EXISTS trial_text_staged (key INTEGER PRIMARY KEY, "
                  "from_view INTEGER NOT NULL, ",
                  kFtsColumns, ")"));
}

void stage_trial_text(StatementCache& statements, const TrialText& text) {
  auto stage = statements.get(str_cat("INSERT OR REPLACE INTO temp.trial_text_staged (key, from_view, ",
                                      kFtsColumns, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stage->bind(1, text.key);
  stage->bind(2, text.from_view ? 1 : 0);
  for (size_t i = 0; i < text.columns.size(); ++i) {
    const int index = static_cast<int>(i) + 3;
    if (text.from_view || !text.columns[i]) stage->bind(index);
    else stage->bindNoCopy(index, *text.columns[i]);  // `text` outlives the execution
  }
  stage->exec();
}

bool is_text_staged(StatementCache& statements, int64_t key) {
  auto select = statements.get("SELECT 1 FROM temp.trial_text_staged WHERE key = ?");
  select->bind(1, key);
  return select->executeStep();
}

void index_staged_text(StatementCache& statements) {
  statements.get(str_cat("INSERT INTO trials_fts (rowid, ", kFtsColumns, ") SELECT key, ",
                         kFtsColumns, " FROM temp.trial_text_staged WHERE NOT from_view"))
      ->exec();
  bool any_from_view = false;
  {
    auto select = statements.get("SELECT EXISTS (SELECT 1 FROM temp.trial_text_staged WHERE from_view)");
    any_from_view = select->executeStep() && select->getColumn(0).getInt() != 0;
  }
  if (any_from_view)  // rare: only then the view, which looks trials up by trials_fts_key
    statements
        .get(str_cat("INSERT INTO trials_fts (rowid, ", kFtsColumns,
                     ") SELECT * FROM trials_fts_content WHERE trial_key IN "
                     "(SELECT key FROM temp.trial_text_staged WHERE from_view)"))
        ->exec();
  statements.get("DELETE FROM temp.trial_text_staged")->exec();
}

void remove_trial_text(StatementCache& statements, std::string_view nct_id) {
  auto statement = statements.get(
      str_cat("INSERT INTO trials_fts (trials_fts, rowid, ", kFtsColumns,
              ") SELECT 'delete', * FROM trials_fts_content "
              "WHERE trial_key = CAST(substr(?, 4) AS INTEGER)"));
  statement->bind(1, std::string(nct_id));
  statement->exec();
}

}  // namespace trialmill
