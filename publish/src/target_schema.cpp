#include "trialmill/publish/target_schema.hpp"

#include <algorithm>
#include <array>
#include <regex>
#include <string_view>

#include "trialmill/io.hpp"
#include "trialmill/log.hpp"

namespace trialmill {
namespace {

// SQLite keeps these as 0/1 integers.
constexpr std::array<std::string_view, 4> kBooleanColumns = {"healthy_volunteers", "has_results",
                                                             "discovery_complete", "held"};
// ISO 8601 dates at the precision the registry shows ('2019', '2019-01', '2019-01-03').
constexpr std::array<std::string_view, 6> kShownDates = {
    "start_date",   "primary_completion_date", "completion_date",
    "first_posted", "last_update_posted",      "last_verified"};
// JSON text: kept verbatim by `json` (unlike jsonb, which reorders keys).
constexpr std::array<std::string_view, 2> kJsonColumns = {"record_json", "other_names"};

template <size_t N>
bool one_of(const std::array<std::string_view, N>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

const char* pg_type(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::integer:
      return "bigint";
    case ColumnKind::real:
      return "double precision";
    case ColumnKind::boolean:
      return "boolean";
    case ColumnKind::timestamp:
      return "timestamptz";
    case ColumnKind::json:
      return "json";
    case ColumnKind::text:
      break;
  }
  return "text";
}

// Helpers the generated columns and views use. IMMUTABLE (they read only their argument), so
// that generated columns and indexes may call them.
constexpr std::string_view kFunctions = R"sql(
CREATE SCHEMA IF NOT EXISTS trialmill;
CREATE OR REPLACE FUNCTION trialmill.iso_precision(shown text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN shown ~ '^\d{4}-\d{2}-\d{2}$' THEN 'day'
              WHEN shown ~ '^\d{4}-\d{2}$' THEN 'month'
              WHEN shown ~ '^\d{4}$' THEN 'year' END $$;
CREATE OR REPLACE FUNCTION trialmill.iso_first_day(shown text) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE trialmill.iso_precision(shown)
           WHEN 'day' THEN make_date(substr(shown, 1, 4)::int, substr(shown, 6, 2)::int,
                                     substr(shown, 9, 2)::int)
           WHEN 'month' THEN make_date(substr(shown, 1, 4)::int, substr(shown, 6, 2)::int, 1)
           WHEN 'year' THEN make_date(substr(shown, 1, 4)::int, 1, 1) END $$;
-- AACT's age form: '18 Years', '6 Months' (whole numbers without a decimal point).
CREATE OR REPLACE FUNCTION trialmill.aact_age(value double precision, unit text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN value IS NULL OR unit IS NULL THEN NULL
              ELSE regexp_replace(value::text, '\.0+$', '') || ' ' ||
                   initcap(lower(unit)) END $$;
CREATE TABLE IF NOT EXISTS trialmill.publish_state (
  id           int PRIMARY KEY CHECK (id = 1),
  since        text NOT NULL,
  next_run_id  bigint NOT NULL,
  published_at timestamptz NOT NULL,
  target_sql   text NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS trialmill.publish_digests (
  key    text PRIMARY KEY,
  digest text NOT NULL
);
)sql";

std::string create_table_sql(const TargetTable& table) {
  std::string sql = str_cat("CREATE TABLE IF NOT EXISTS trialmill.", pg_ident(table.name), " (");
  bool first = true;
  for (const TargetColumn& column : table.columns) {
    sql += str_cat(first ? "\n  " : ",\n  ", pg_ident(column.name), " ", pg_type(column.kind));
    first = false;
  }
  return sql + "\n);\n";
}

std::string add_columns_sql(const TargetTable& table) {
  std::string sql;
  const std::string name = str_cat("trialmill.", pg_ident(table.name));
  for (const TargetColumn& column : table.columns) {
    sql += str_cat("ALTER TABLE ", name, " ADD COLUMN IF NOT EXISTS ", pg_ident(column.name), " ",
                   pg_type(column.kind), ";\n");
    if (column.shown_date) {
      sql += str_cat("ALTER TABLE ", name, " ADD COLUMN IF NOT EXISTS ",
                     pg_ident(column.name + "_day"),
                     " date GENERATED ALWAYS AS (trialmill.iso_first_day(", pg_ident(column.name),
                     ")) STORED;\n");
      sql += str_cat("ALTER TABLE ", name, " ADD COLUMN IF NOT EXISTS ",
                     pg_ident(column.name + "_precision"),
                     " text GENERATED ALWAYS AS (trialmill.iso_precision(", pg_ident(column.name),
                     ")) STORED;\n");
    }
  }
  if (table.name == "trials")
    sql += R"sql(ALTER TABLE trialmill.trials ADD COLUMN IF NOT EXISTS search tsvector
  GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(nct_id, '') || ' ' ||
              coalesce(brief_title, '') || ' ' || coalesce(official_title, '') || ' ' ||
              coalesce(acronym, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(search_lists, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, left(coalesce(brief_summary, '') || ' ' ||
              coalesce(detailed_description, '') || ' ' || coalesce(eligibility_criteria, ''),
              400000)), 'C')) STORED;
)sql";
  return sql;
}

bool has_column(const TargetTable& table, std::string_view name) {
  for (const TargetColumn& column : table.columns)
    if (column.name == name) return true;
  return false;
}

std::string indexes_sql(const std::vector<TargetTable>& tables) {
  std::string sql;
  for (const TargetTable& table : tables) {
    const std::string name = str_cat("trialmill.", pg_ident(table.name));
    if (table.name == "trials")
      sql += "CREATE UNIQUE INDEX IF NOT EXISTS trials_pkey ON trialmill.trials (nct_id);\n";
    else if (table.keyed_by_trial)
      sql +=
          str_cat("CREATE INDEX IF NOT EXISTS ", table.name, "_nct_id ON ", name, " (nct_id);\n");
    else if (table.name == "runs")
      sql += "CREATE UNIQUE INDEX IF NOT EXISTS runs_pkey ON trialmill.runs (id);\n";
    else if (table.name == "run_sources")
      sql += "CREATE INDEX IF NOT EXISTS run_sources_run_id ON trialmill.run_sources (run_id);\n";
  }
  auto find = [&](std::string_view name) -> const TargetTable* {
    for (const TargetTable& table : tables)
      if (table.name == name) return &table;
    return nullptr;
  };
  if (find("trials"))
    sql +=
        "CREATE INDEX IF NOT EXISTS trials_search ON trialmill.trials USING gin (search);\n"
        "CREATE INDEX IF NOT EXISTS trials_overall_status ON trialmill.trials (overall_status);\n";
  if (const TargetTable* thresholds = find("eligibility_thresholds");
      thresholds && has_column(*thresholds, "parameter") && has_column(*thresholds, "value"))
    sql +=
        "CREATE INDEX IF NOT EXISTS eligibility_thresholds_parameter_value ON "
        "trialmill.eligibility_thresholds (parameter, value);\n";
  if (find("trial_conditions"))
    sql +=
        "CREATE INDEX IF NOT EXISTS trial_conditions_name ON trialmill.trial_conditions "
        "(lower(name));\n";
  if (find("trial_phases"))
    sql += "CREATE INDEX IF NOT EXISTS trial_phases_phase ON trialmill.trial_phases (phase);\n";
  if (find("trial_locations"))
    sql +=
        "CREATE INDEX IF NOT EXISTS trial_locations_country ON trialmill.trial_locations "
        "(country);\n";
  return sql;
}

}  // namespace

namespace {

bool valid_timestamp(const std::string& text) {
  static const std::regex pattern(
      R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?))");
  return std::regex_match(text, pattern);
}

// The SQLite value as the target column's type wants it; what cannot be typed becomes NULL
// with a warning naming table, column and value.
std::optional<std::string> typed(const TargetTable& table, const TargetColumn& column,
                                 const std::optional<std::string>& value, size_t* warnings) {
  if (!value) return value;
  auto refuse = [&]() -> std::optional<std::string> {
    if (warnings) ++*warnings;
    log_warning(str_cat(table.name, ".", column.name),
                str_cat("value '", value->substr(0, 80), "' is not a ",
                        column.kind == ColumnKind::boolean ? "boolean" : "timestamp",
                        "; published as NULL"));
    return std::nullopt;
  };
  switch (column.kind) {
    case ColumnKind::boolean:
      if (*value == "1") return std::string("t");
      if (*value == "0") return std::string("f");
      return refuse();
    case ColumnKind::timestamp:
      return valid_timestamp(*value) ? value : refuse();
    default:
      return value;
  }
}

}  // namespace

std::string copy_row_text(const TargetTable& table, const SourceRow& row, size_t* warnings) {
  std::string line;
  for (size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
    if (i) line += '\t';
    append_copy_field(line, typed(table, table.columns[i], row[i], warnings));
  }
  line += '\n';
  return line;
}

TargetTable target_table(const SourceTable& source) {
  TargetTable table{source.name, {}, source.keyed_by_trial, -1};
  for (const SourceColumn& column : source.columns) {
    const std::string type = upper(column.declared_type);
    TargetColumn target{column.name, ColumnKind::text, false};
    if (one_of(kBooleanColumns, column.name))
      target.kind = ColumnKind::boolean;
    else if (one_of(kJsonColumns, column.name))
      target.kind = ColumnKind::json;
    else if (column.name.size() > 3 && column.name.ends_with("_at") && type == "TEXT")
      target.kind = ColumnKind::timestamp;
    else if (type.find("INT") != std::string::npos)
      target.kind = ColumnKind::integer;
    else if (type == "REAL" || type == "FLOAT" || type == "DOUBLE")
      target.kind = ColumnKind::real;
    else if (one_of(kShownDates, column.name))
      target.shown_date = true;
    table.columns.push_back(target);
  }
  const std::string key = source.keyed_by_trial   ? "nct_id"
                          : source.name == "runs" ? "id"
                                                  : "run_id";
  for (size_t i = 0; i < table.columns.size(); ++i)
    if (table.columns[i].name == key) table.key_column = static_cast<int>(i);
  return table;
}

TargetSchema ensure_target_schema(PgConnection& pg, const std::vector<TargetTable>& tables) {
  std::string tables_sql;
  for (const TargetTable& table : tables)
    tables_sql += create_table_sql(table) + add_columns_sql(table);
  const std::string indexes = indexes_sql(tables);
  const std::string views = trialmill_views_sql() + ctgov_views_sql();
  const std::string described = sha256_hex(str_cat(kFunctions, tables_sql, indexes, views));

  pg.exec("BEGIN");
  // One publisher at a time creates or changes the target's schema.
  pg.exec("SELECT pg_advisory_xact_lock(7234001)");
  std::string current;
  if (pg.query("SELECT to_regclass('trialmill.publish_state') IS NOT NULL").text(0, 0) == "t") {
    PgResult state = pg.query("SELECT target_sql FROM trialmill.publish_state WHERE id = 1");
    if (state.rows() == 1) current = state.text(0, 0);
  }
  if (current != described) {
    pg.exec(std::string(kFunctions));
    pg.exec(tables_sql);
    pg.exec(indexes);
    // Views are made again whole: a changed column list cannot be altered in place.
    pg.exec(
        "DROP SCHEMA IF EXISTS ctgov CASCADE;\n"
        "DROP VIEW IF EXISTS trialmill.trial_summary, trialmill.recruiting_by_condition,\n"
        "  trialmill.recruiting_by_country;\n"
        "CREATE SCHEMA ctgov;\n");
    pg.exec(views);
  }
  pg.exec("COMMIT");
  return {described, current != described};
}

}  // namespace trialmill
