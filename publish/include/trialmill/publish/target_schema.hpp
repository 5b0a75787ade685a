#pragma once
// The PostgreSQL side: schema `trialmill` (the SQLite tables with PostgreSQL types, derived from
// the SQLite columns so that added columns travel), publish bookkeeping, and schema `ctgov` (views
// with AACT's names and value forms).
#include <string>
#include <vector>

#include "trialmill/publish/pg.hpp"
#include "trialmill/store/publish_source.hpp"

namespace trialmill {

enum class ColumnKind { text, integer, real, boolean, timestamp, json };

struct TargetColumn {
  std::string name;
  ColumnKind kind;
  bool shown_date = false;  // ISO date at the shown precision: gets <name>_day and _precision
};

struct TargetTable {
  std::string name;
  std::vector<TargetColumn> columns;
  bool keyed_by_trial = false;
  int key_column = -1;  // nct_id, or runs.id / run_sources.run_id
};

TargetTable target_table(const SourceTable& source);

// One SQLite row as a line of COPY text for `table`: 0/1 as booleans, timestamps checked (what
// is not one is sent as NULL, with a warning, counted in *warnings).
std::string copy_row_text(const TargetTable& table, const SourceRow& row, size_t* warnings);

// Creates what is missing (schema, tables, columns, indexes, functions, views); when the SQL
// that describes the target changed since the last publish, the views are made again. In one
// transaction.
struct TargetSchema {
  std::string digest;    // of the SQL that describes the target (kept in publish_state)
  bool changed = false;  // it differed from the last publish's: tables or columns were added
};
TargetSchema ensure_target_schema(PgConnection& pg, const std::vector<TargetTable>& tables);

// The ctgov views (ctgov_views.cpp) and trialmill's own convenience views.
std::string ctgov_views_sql();
std::string trialmill_views_sql();

}  // namespace trialmill
