#include "trialmill/store/trial_rows.hpp"

#include <array>
#include <optional>
#include <vector>

#include "trialmill/error.hpp"

namespace trialmill {
namespace {

// A `trials` column read from the canonical record: record[field] or record[field][member].
struct ColumnSource {
  std::string_view column;
  std::string_view field;
  std::string_view member;  // empty: the field itself
};

constexpr std::array kScalarColumns = {
    ColumnSource{"nct_id", "nct_id", ""},
    ColumnSource{"brief_title", "brief_title", ""},
    ColumnSource{"official_title", "official_title", ""},
    ColumnSource{"acronym", "acronym", ""},
    ColumnSource{"org_study_id", "org_study_id", ""},
    ColumnSource{"overall_status", "overall_status", ""},
    ColumnSource{"study_type", "study_type", ""},
    ColumnSource{"brief_summary", "brief_summary", ""},
    ColumnSource{"detailed_description", "detailed_description", ""},
    ColumnSource{"enrollment_count", "enrollment", "count"},
    ColumnSource{"enrollment_type", "enrollment", "type"},
    ColumnSource{"allocation", "allocation", ""},
    ColumnSource{"intervention_model", "intervention_model", ""},
    ColumnSource{"masking", "masking", ""},
    ColumnSource{"primary_purpose", "primary_purpose", ""},
    ColumnSource{"sex", "sex", ""},
    ColumnSource{"minimum_age_value", "minimum_age", "value"},
    ColumnSource{"minimum_age_unit", "minimum_age", "unit"},
    ColumnSource{"maximum_age_value", "maximum_age", "value"},
    ColumnSource{"maximum_age_unit", "maximum_age", "unit"},
    ColumnSource{"min_age_years", "min_age_years", ""},
    ColumnSource{"max_age_years", "max_age_years", ""},
    ColumnSource{"healthy_volunteers", "healthy_volunteers", ""},
    ColumnSource{"eligibility_criteria", "eligibility_criteria", ""},
    ColumnSource{"start_date", "start_date", "date"},
    ColumnSource{"start_date_type", "start_date", "type"},
    ColumnSource{"primary_completion_date", "primary_completion_date", "date"},
    ColumnSource{"primary_completion_date_type", "primary_completion_date", "type"},
    ColumnSource{"completion_date", "completion_date", "date"},
    ColumnSource{"completion_date_type", "completion_date", "type"},
    ColumnSource{"first_posted", "first_posted", ""},
    ColumnSource{"last_update_posted", "last_update_posted", ""},
    ColumnSource{"last_verified", "last_verified", ""},
    ColumnSource{"lead_sponsor_name", "lead_sponsor", "name"},
    ColumnSource{"lead_sponsor_class", "lead_sponsor", "class"},
    ColumnSource{"responsible_party_type", "responsible_party", "type"},
    ColumnSource{"responsible_party_name", "responsible_party", "name"},
    ColumnSource{"responsible_party_affiliation", "responsible_party", "affiliation"},
    ColumnSource{"has_results", "has_results", ""},
};
// Columns after the scalar ones, bound separately.
constexpr std::array<std::string_view, 5> kDerivedColumns = {
    "phases", "record_json", "content_hash", "first_seen_at", "updated_at"};

std::string build_upsert_sql() {
  std::string columns, params, updates;
  auto add = [&](std::string_view column) {
    if (!columns.empty()) {
      columns += ", ";
      params += ", ";
    }
    columns += column;
    params += "?";
    if (column != "nct_id" && column != "first_seen_at") {
      if (!updates.empty()) updates += ", ";
      updates += str_cat(column, " = excluded.", column);
    }
  };
  for (const auto& c : kScalarColumns) add(c.column);
  for (auto c : kDerivedColumns) add(c);
  return str_cat("INSERT INTO trials (", columns, ") VALUES (", params,
                 ") ON CONFLICT (nct_id) DO UPDATE SET ", updates);
}

const JsonValue* member_path(const JsonValue& record, std::string_view field,
                             std::string_view member) {
  const JsonValue* value = find_member(record, field);
  if (!value || member.empty()) return value;
  return find_member(*value, member);
}

// The array at record[field]; an empty array when absent.
const JsonValue& list(const JsonValue& record, std::string_view field) {
  static const JsonValue kEmpty(rapidjson::kArrayType);
  const JsonValue* value = find_member(record, field);
  return value && value->IsArray() ? *value : kEmpty;
}

std::string nct_of(const JsonValue& record) { return get_string_or(record, "nct_id", ""); }

// Runs an INSERT with the given values, nct_id first. Text is bound without a copy: `values`
// outlives the statement's execution, and the lease resets the statement before returning.
void insert_row(StatementCache& statements, const std::string& sql,
                const std::vector<SqlValue>& values) {
  auto statement = statements.get(sql);
  for (size_t i = 0; i < values.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (const auto* text = std::get_if<std::string>(&values[i]))
      statement->bindNoCopy(index, *text);
    else
      bind_value(*statement, index, values[i]);
  }
  statement->exec();
}

void insert_strings(StatementCache& statements, const JsonValue& record, std::string_view field,
                    std::string_view table, std::string_view column) {
  std::string sql = str_cat("INSERT INTO ", table, " (nct_id, ordinal, ", column, ") VALUES (?, ?, ?)");
  int64_t ordinal = 0;
  for (const auto& item : list(record, field).GetArray()) {
    if (is_empty_value(item)) continue;
    insert_row(statements, sql, {nct_of(record), ordinal++, sql_value(&item)});
  }
}

SqlValue member_value(const JsonValue& object, std::string_view key) {
  return sql_value(find_member(object, key));
}

}  // namespace

std::vector<std::string_view> trial_scalar_columns() {
  std::vector<std::string_view> names;
  for (const auto& c : kScalarColumns) names.push_back(c.column);
  return names;
}

std::vector<SqlValue> trial_scalar_values(const JsonValue& canonical) {
  std::vector<SqlValue> values;
  values.reserve(kScalarColumns.size());
  for (const auto& c : kScalarColumns) values.push_back(sql_value(member_path(canonical, c.field, c.member)));
  return values;
}

void upsert_trial_row(StatementCache& statements, const JsonValue& canonical,
                      std::string_view content_hash, const TrialRowTimes& times,
                      const std::string* record_json) {
  static const std::string sql = build_upsert_sql();
  std::vector<SqlValue> values = trial_scalar_values(canonical);
  std::string phases;
  for (const auto& phase : list(canonical, "phases").GetArray()) {
    if (!phase.IsString()) continue;
    if (!phases.empty()) phases += "|";
    phases.append(phase.GetString(), phase.GetStringLength());
  }
  values.push_back(phases.empty() ? SqlValue{} : SqlValue{phases});
  values.push_back(record_json ? *record_json : to_json(canonical));
  values.push_back(std::string(content_hash));
  values.push_back(times.first_seen_at);
  values.push_back(times.updated_at);
  insert_row(statements, sql, values);
}

void delete_child_rows(StatementCache& statements, std::string_view nct_id) {
  // Contacts and arm interventions first: they reference locations and arms.
  static constexpr std::array kTables = {
      "trial_contacts",    "trial_arm_interventions", "trial_phases",      "trial_conditions",
      "trial_keywords",    "trial_mesh_terms",        "trial_identifiers", "trial_interventions",
      "trial_arms",        "trial_criteria",          "trial_outcomes",    "trial_sponsors",
      "trial_officials",   "trial_locations",         "trial_related"};
  for (const char* table : kTables) {
    auto statement = statements.get(str_cat("DELETE FROM ", table, " WHERE nct_id = ?"));
    statement->bind(1, std::string(nct_id));
    statement->exec();
  }
}

void insert_child_rows(StatementCache& statements, const JsonValue& r) {
  const std::string nct = nct_of(r);

  insert_strings(statements, r, "phases", "trial_phases", "phase");
  insert_strings(statements, r, "conditions", "trial_conditions", "name");
  insert_strings(statements, r, "keywords", "trial_keywords", "keyword");
  insert_strings(statements, r, "mesh_terms", "trial_mesh_terms", "term");
  insert_strings(statements, r, "related_nct_ids", "trial_related", "related_nct_id");

  {
    const std::string sql =
        "INSERT INTO trial_identifiers (nct_id, ordinal, kind, value) VALUES (?, ?, ?, ?)";
    int64_t ordinal = 0;
    if (auto org = get_string(r, "org_study_id"); org && !org->empty())
      insert_row(statements, sql, {nct, ordinal++, std::string("org_study_id"), *org});
    for (const auto& id : list(r, "secondary_ids").GetArray())
      if (!is_empty_value(id))
        insert_row(statements, sql, {nct, ordinal++, std::string("secondary"), sql_value(&id)});
  }

  int64_t ordinal = 0;
  for (const auto& item : list(r, "interventions").GetArray()) {
    const JsonValue* other = find_member(item, "other_names");
    insert_row(statements,
               "INSERT INTO trial_interventions (nct_id, ordinal, type, name, description, "
               "other_names) VALUES (?, ?, ?, ?, ?, ?)",
               {nct, ordinal++, member_value(item, "type"), member_value(item, "name"),
                member_value(item, "description"),
                other && other->IsArray() ? to_json(*other) : std::string("[]")});
  }

  ordinal = 0;
  for (const auto& arm : list(r, "arms").GetArray()) {
    int64_t arm_ordinal = ordinal++;
    insert_row(statements,
               "INSERT INTO trial_arms (nct_id, ordinal, label, type, description) "
               "VALUES (?, ?, ?, ?, ?)",
               {nct, arm_ordinal, member_value(arm, "label"), member_value(arm, "type"),
                member_value(arm, "description")});
    int64_t name_ordinal = 0;
    for (const auto& name : list(arm, "intervention_names").GetArray())
      if (!is_empty_value(name))
        insert_row(statements,
                   "INSERT INTO trial_arm_interventions (nct_id, arm_ordinal, ordinal, name) "
                   "VALUES (?, ?, ?, ?)",
                   {nct, arm_ordinal, name_ordinal++, sql_value(&name)});
  }

  for (auto [field, kind] : {std::pair{"inclusion_criteria", "inclusion"},
                             std::pair{"exclusion_criteria", "exclusion"}}) {
    ordinal = 0;
    for (const auto& text : list(r, field).GetArray())
      if (!is_empty_value(text))
        insert_row(statements,
                   "INSERT INTO trial_criteria (nct_id, kind, ordinal, text) VALUES (?, ?, ?, ?)",
                   {nct, std::string(kind), ordinal++, sql_value(&text)});
  }

  for (auto [field, kind] : {std::pair{"primary_outcomes", "primary"},
                             std::pair{"secondary_outcomes", "secondary"}}) {
    ordinal = 0;
    for (const auto& outcome : list(r, field).GetArray())
      insert_row(statements,
                 "INSERT INTO trial_outcomes (nct_id, kind, ordinal, measure, time_frame, "
                 "description) VALUES (?, ?, ?, ?, ?, ?)",
                 {nct, std::string(kind), ordinal++, member_value(outcome, "measure"),
                  member_value(outcome, "time_frame"), member_value(outcome, "description")});
  }

  {
    const std::string sql =
        "INSERT INTO trial_sponsors (nct_id, role, ordinal, name, class) VALUES (?, ?, ?, ?, ?)";
    const JsonValue* lead = find_member(r, "lead_sponsor");
    if (lead && lead->IsObject() && !is_empty_value(*lead))
      insert_row(statements, sql,
                 {nct, std::string("lead"), int64_t{0}, member_value(*lead, "name"),
                  member_value(*lead, "class")});
    ordinal = 0;
    for (const auto& sponsor : list(r, "collaborators").GetArray())
      insert_row(statements, sql,
                 {nct, std::string("collaborator"), ordinal++, member_value(sponsor, "name"),
                  member_value(sponsor, "class")});
  }

  ordinal = 0;
  for (const auto& official : list(r, "overall_officials").GetArray())
    insert_row(statements,
               "INSERT INTO trial_officials (nct_id, ordinal, name, role, affiliation) "
               "VALUES (?, ?, ?, ?, ?)",
               {nct, ordinal++, member_value(official, "name"), member_value(official, "role"),
                member_value(official, "affiliation")});

  const std::string contact_sql =
      "INSERT INTO trial_contacts (nct_id, location_ordinal, ordinal, name, role, phone, email) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)";
  auto insert_contacts = [&](const JsonValue& contacts, SqlValue location_ordinal) {
    int64_t contact_ordinal = 0;
    for (const auto& contact : contacts.GetArray())
      insert_row(statements, contact_sql,
                 {nct, location_ordinal, contact_ordinal++, member_value(contact, "name"),
                  member_value(contact, "role"), member_value(contact, "phone"),
                  member_value(contact, "email")});
  };
  insert_contacts(list(r, "central_contacts"), SqlValue{});

  ordinal = 0;
  for (const auto& location : list(r, "locations").GetArray()) {
    int64_t location_ordinal = ordinal++;
    insert_row(statements,
               "INSERT INTO trial_locations (nct_id, ordinal, facility, city, state, zip, "
               "country, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {nct, location_ordinal, member_value(location, "facility"),
                member_value(location, "city"), member_value(location, "state"),
                member_value(location, "zip"), member_value(location, "country"),
                member_value(location, "status")});
    insert_contacts(list(location, "contacts"), location_ordinal);
  }
}

namespace {

// One eligibility_thresholds row after nct_id: ordinal, kind, criterion, parameter, comparator,
// value, upper, unit, sex, condition, text, form, or_group, value_written, unit_written.
using ThresholdRow = std::vector<SqlValue>;

std::optional<int64_t> criterion_index(const JsonValue* value) {
  if (!value || !value->IsNumber()) return std::nullopt;
  if (value->IsUint64()) return static_cast<int64_t>(value->GetUint64());
  double d = value->GetDouble();
  if (d < 0 || d != static_cast<double>(static_cast<int64_t>(d))) return std::nullopt;
  return static_cast<int64_t>(d);
}

// A whole-number column (an OR group id), else NULL.
SqlValue integer_value(const JsonValue* value) {
  if (!value || !value->IsInt64()) return std::monostate{};
  return value->GetInt64();
}

// A number column stored as REAL, so that what is read back compares equal.
SqlValue real_value(const JsonValue* value) {
  if (!value || !value->IsNumber()) return std::monostate{};
  return value->GetDouble();
}

void collect_thresholds(const JsonValue* source, std::string_view kind,
                        std::vector<ThresholdRow>& rows) {
  if (!source) return;
  const JsonValue* list = find_member(*source, "eligibility_thresholds");
  if (!list || !list->IsArray()) return;
  for (const auto& item : list->GetArray()) {
    if (!item.IsObject() || get_string(item, "kind") != std::optional<std::string>(kind)) continue;
    auto criterion = criterion_index(find_member(item, "criterion"));
    if (!criterion) continue;
    rows.push_back({static_cast<int64_t>(rows.size()), std::string(kind), *criterion,
                    member_value(item, "parameter"), member_value(item, "comparator"),
                    real_value(find_member(item, "value")), real_value(find_member(item, "upper")),
                    member_value(item, "unit"), member_value(item, "sex"),
                    member_value(item, "condition"), member_value(item, "text"),
                    get_string(item, "form") ? member_value(item, "form")
                                             : SqlValue(std::string("bound")),
                    integer_value(find_member(item, "or_group")),
                    member_value(item, "value_written"), member_value(item, "unit_written")});
  }
}

SqlValue column_value(SQLite::Statement& statement, int index) {
  SQLite::Column column = statement.getColumn(index);
  if (column.isNull()) return std::monostate{};
  if (column.isInteger()) return column.getInt64();
  if (column.isFloat()) return column.getDouble();
  return column.getString();
}

void insert_threshold_rows(StatementCache& statements, std::string_view nct_id,
                           const std::vector<ThresholdRow>& rows) {
  for (const auto& row : rows) {
    ThresholdRow values = row;
    values.insert(values.begin(), std::string(nct_id));
    insert_row(statements,
               "INSERT INTO eligibility_thresholds (nct_id, ordinal, kind, criterion, parameter, "
               "comparator, value, upper, unit, sex, condition, text, form, or_group, "
               "value_written, unit_written) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               values);
  }
}

}  // namespace

void insert_eligibility_thresholds(StatementCache& statements, std::string_view nct_id,
                                   const JsonValue* inclusion_source,
                                   const JsonValue* exclusion_source) {
  std::vector<ThresholdRow> wanted;
  collect_thresholds(inclusion_source, "inclusion", wanted);
  collect_thresholds(exclusion_source, "exclusion", wanted);
  insert_threshold_rows(statements, nct_id, wanted);
}

bool replace_eligibility_thresholds(StatementCache& statements, std::string_view nct_id,
                                    const JsonValue* inclusion_source,
                                    const JsonValue* exclusion_source) {
  std::vector<ThresholdRow> wanted;
  collect_thresholds(inclusion_source, "inclusion", wanted);
  collect_thresholds(exclusion_source, "exclusion", wanted);

  std::vector<ThresholdRow> stored;
  {
    auto select = statements.get(
        "SELECT ordinal, kind, criterion, parameter, comparator, value, upper, unit, sex, "
        "condition, text, form, or_group, value_written, unit_written FROM eligibility_thresholds "
        "WHERE nct_id = ? ORDER BY ordinal");
    select->bind(1, std::string(nct_id));
    while (select->executeStep()) {
      ThresholdRow row;
      for (int i = 0; i < select->getColumnCount(); ++i) row.push_back(column_value(*select, i));
      stored.push_back(std::move(row));
    }
  }
  if (stored == wanted) return false;

  {
    auto erase = statements.get("DELETE FROM eligibility_thresholds WHERE nct_id = ?");
    erase->bind(1, std::string(nct_id));
    erase->exec();
  }
  insert_threshold_rows(statements, nct_id, wanted);
  return true;
}

}  // namespace trialmill
