#include "trialmill/store/schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>
#include <vector>

#include "trialmill/io.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);

CREATE TABLE trials (
  nct_id                       TEXT PRIMARY KEY,
  brief_title                  TEXT,
  official_title               TEXT,
  acronym                      TEXT,
  org_study_id                 TEXT,
  overall_status               TEXT,
  study_type                   TEXT,
  brief_summary                TEXT,
  detailed_description         TEXT,
  enrollment_count             INTEGER,
  enrollment_type              TEXT,
  allocation                   TEXT,
  intervention_model           TEXT,
  masking                      TEXT,
  primary_purpose              TEXT,
  sex                          TEXT,
  minimum_age_value            REAL,
  minimum_age_unit             TEXT,
  maximum_age_value            REAL,
  maximum_age_unit             TEXT,
  min_age_years                REAL,
  max_age_years                REAL,
  healthy_volunteers           INTEGER CHECK (healthy_volunteers IN (0, 1)),
  eligibility_criteria         TEXT,
  start_date                   TEXT,
  start_date_type              TEXT,
  primary_completion_date      TEXT,
  primary_completion_date_type TEXT,
  completion_date              TEXT,
  completion_date_type         TEXT,
  first_posted                 TEXT,
  last_update_posted           TEXT,
  last_verified                TEXT,
  lead_sponsor_name            TEXT,
  lead_sponsor_class           TEXT,
  responsible_party_type       TEXT,
  responsible_party_name       TEXT,
  responsible_party_affiliation TEXT,
  has_results                  INTEGER CHECK (has_results IN (0, 1)),
  phases                       TEXT,
  record_json                  TEXT NOT NULL,
  content_hash                 TEXT NOT NULL,
  first_seen_at                TEXT NOT NULL,
  updated_at                   TEXT NOT NULL
);
CREATE INDEX trials_overall_status ON trials (overall_status);
CREATE INDEX trials_study_type ON trials (study_type);

CREATE TABLE trial_phases (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  phase   TEXT NOT NULL,
  PRIMARY KEY (nct_id, ordinal)
);
CREATE INDEX trial_phases_phase ON trial_phases (phase);

CREATE TABLE trial_conditions (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  name    TEXT NOT NULL,
  PRIMARY KEY (nct_id, ordinal)
);
CREATE INDEX trial_conditions_name ON trial_conditions (name COLLATE NOCASE);

CREATE TABLE trial_keywords (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  keyword TEXT NOT NULL,
  PRIMARY KEY (nct_id, ordinal)
);

CREATE TABLE trial_mesh_terms (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  term    TEXT NOT NULL,
  PRIMARY KEY (nct_id, ordinal)
);

CREATE TABLE trial_identifiers (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('org_study_id', 'secondary')),
  value   TEXT NOT NULL,
  PRIMARY KEY (nct_id, ordinal)
);

CREATE TABLE trial_interventions (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  type        TEXT,
  name        TEXT,
  description TEXT,
  other_names TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (nct_id, ordinal)
);

CREATE TABLE trial_arms (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  label       TEXT,
  type        TEXT,
  description TEXT,
  PRIMARY KEY (nct_id, ordinal)
);

CREATE TABLE trial_arm_interventions (
  nct_id      TEXT NOT NULL,
  arm_ordinal INTEGER NOT NULL,
  ordinal     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  PRIMARY KEY (nct_id, arm_ordinal, ordinal),
  FOREIGN KEY (nct_id, arm_ordinal) REFERENCES trial_arms (nct_id, ordinal) ON DELETE CASCADE
);

CREATE TABLE trial_criteria (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  kind    TEXT NOT NULL CHECK (kind IN ('inclusion', 'exclusion')),
  ordinal INTEGER NOT NULL,
  text    TEXT NOT NULL,
  PRIMARY KEY (nct_id, kind, ordinal)
);

CREATE TABLE trial_outcomes (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('primary', 'secondary')),
  ordinal     INTEGER NOT NULL,
  measure     TEXT,
  time_frame  TEXT,
  description TEXT,
  PRIMARY KEY (nct_id, kind, ordinal)
);

CREATE TABLE trial_sponsors (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  role    TEXT NOT NULL CHECK (role IN ('lead', 'collaborator')),
  ordinal INTEGER NOT NULL,
  name    TEXT,
  class   TEXT,
  PRIMARY KEY (nct_id, role, ordinal)
);

CREATE TABLE trial_officials (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  name        TEXT,
  role        TEXT,
  affiliation TEXT,
  PRIMARY KEY (nct_id, ordinal)
);

CREATE TABLE trial_locations (
  nct_id   TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal  INTEGER NOT NULL,
  facility TEXT,
  city     TEXT,
  state    TEXT,
  zip      TEXT,
  country  TEXT,
  status   TEXT,
  PRIMARY KEY (nct_id, ordinal)
);
CREATE INDEX trial_locations_country ON trial_locations (country);

CREATE TABLE trial_contacts (
  id               INTEGER PRIMARY KEY,
  nct_id           TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  location_ordinal INTEGER,
  ordinal          INTEGER NOT NULL,
  name             TEXT,
  role             TEXT,
  phone            TEXT,
  email            TEXT,
  FOREIGN KEY (nct_id, location_ordinal) REFERENCES trial_locations (nct_id, ordinal)
    ON DELETE CASCADE
);
CREATE INDEX trial_contacts_nct_id ON trial_contacts (nct_id, location_ordinal);

CREATE TABLE trial_related (
  nct_id         TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal        INTEGER NOT NULL,
  related_nct_id TEXT NOT NULL,
  PRIMARY KEY (nct_id, ordinal)
);
CREATE INDEX trial_related_related ON trial_related (related_nct_id);

-- Source records are primary data: they exist before (and independently of) the merged trial.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  nct_id      TEXT NOT NULL,
  format      TEXT NOT NULL,
  url         TEXT,
  fetched_at  TEXT,
  sha256      TEXT,
  stored_at   TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  record_json TEXT NOT NULL
);
CREATE UNIQUE INDEX sources_identity ON sources (nct_id, format, ifnull(url, ''));

CREATE TABLE field_provenance (
  nct_id    TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  field     TEXT NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  PRIMARY KEY (nct_id, field)
);
CREATE INDEX field_provenance_source ON field_provenance (source_id);

CREATE TABLE trial_changes (
  id         INTEGER PRIMARY KEY,
  nct_id     TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  source_id  INTEGER REFERENCES sources (id) ON DELETE SET NULL,
  changed_at TEXT NOT NULL
);
CREATE INDEX trial_changes_nct_id ON trial_changes (nct_id, changed_at);
CREATE INDEX trial_changes_changed_at ON trial_changes (changed_at);
)sql";

// v2: full-text search, views for common questions, runs, eligibility thresholds, withdrawal mark.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE trials ADD COLUMN withdrawn_from_source_at TEXT;
CREATE INDEX trials_withdrawn_from_source_at ON trials (withdrawn_from_source_at)
  WHERE withdrawn_from_source_at IS NOT NULL;

-- The FTS rowid of a trial is the number in its NCT ID: stable across VACUUM, unlike trials.rowid.
CREATE UNIQUE INDEX trials_fts_key ON trials (CAST(substr(nct_id, 4) AS INTEGER));

-- What trials_fts indexes, one row per trial (the external content of trials_fts).
CREATE VIEW trials_fts_content AS
SELECT CAST(substr(t.nct_id, 4) AS INTEGER) AS trial_key,
       t.nct_id,
       t.brief_title,
       t.official_title,
       t.acronym,
       t.brief_summary,
       t.detailed_description,
       (SELECT group_concat(name, '; ')
          FROM (SELECT name FROM trial_conditions c WHERE c.nct_id = t.nct_id ORDER BY ordinal))
         AS conditions,
       -- Other names as their JSON array text: the tokenizer drops the brackets and quotes
       -- (json_each cannot be used in an FTS5 content view).
       (SELECT group_concat(name, '; ')
          FROM (SELECT trim(ifnull(i.name, '') || ' ' ||
                            CASE WHEN i.other_names = '[]' THEN '' ELSE i.other_names END) AS name
                  FROM trial_interventions i WHERE i.nct_id = t.nct_id ORDER BY i.ordinal))
         AS interventions,
       t.eligibility_criteria
FROM trials t;

CREATE VIRTUAL TABLE trials_fts USING fts5(
  nct_id, brief_title, official_title, acronym, brief_summary, detailed_description,
  conditions, interventions, eligibility_criteria,
  content = 'trials_fts_content', content_rowid = 'trial_key');

-- trialmill-store keeps trials_fts in step when it writes a trial; this trigger covers deletes
-- by anyone (before the cascade removes the child rows the indexed text was built from).
CREATE TRIGGER trials_fts_before_delete BEFORE DELETE ON trials BEGIN
  INSERT INTO trials_fts (trials_fts, rowid, nct_id, brief_title, official_title, acronym,
                          brief_summary, detailed_description, conditions, interventions,
                          eligibility_criteria)
  SELECT 'delete', * FROM trials_fts_content
   WHERE trial_key = CAST(substr(OLD.nct_id, 4) AS INTEGER);
END;

-- Trials stored by v1 become searchable.
INSERT INTO trials_fts (trials_fts) VALUES ('rebuild');

CREATE TABLE eligibility_thresholds (
  nct_id     TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('inclusion', 'exclusion')),
  criterion  INTEGER NOT NULL,
  parameter  TEXT,
  comparator TEXT,
  value      REAL,
  upper      REAL,
  unit       TEXT,
  sex        TEXT,
  condition  TEXT,
  text       TEXT,
  PRIMARY KEY (nct_id, ordinal)
);
CREATE INDEX eligibility_thresholds_parameter ON eligibility_thresholds (parameter, nct_id);

CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  command        TEXT NOT NULL,
  records_read   INTEGER NOT NULL DEFAULT 0,
  inserted       INTEGER NOT NULL DEFAULT 0,
  updated        INTEGER NOT NULL DEFAULT 0,
  unchanged      INTEGER NOT NULL DEFAULT 0,
  failed         INTEGER NOT NULL DEFAULT 0,
  status         TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'error'))
);

CREATE VIEW trial_summary AS
SELECT t.nct_id,
       t.brief_title,
       t.overall_status,
       t.phases,
       t.study_type,
       t.enrollment_count,
       (SELECT group_concat(name, '; ')
          FROM (SELECT name FROM trial_conditions c WHERE c.nct_id = t.nct_id ORDER BY ordinal))
         AS conditions,
       t.lead_sponsor_name,
       t.start_date,
       t.primary_completion_date,
       t.completion_date,
       t.last_update_posted,
       (SELECT count(*) FROM sources s WHERE s.nct_id = t.nct_id) AS source_count,
       t.withdrawn_from_source_at
FROM trials t;

CREATE VIEW recruiting_by_condition AS
SELECT c.name AS condition, t.nct_id, t.brief_title, t.phases, t.overall_status
FROM trial_conditions c JOIN trials t ON t.nct_id = c.nct_id
WHERE t.overall_status IN ('RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION')
  AND t.withdrawn_from_source_at IS NULL;

CREATE VIEW recruiting_by_country AS
SELECT l.country, t.nct_id, t.brief_title, t.phases, t.overall_status, count(*) AS sites
FROM trial_locations l JOIN trials t ON t.nct_id = l.nct_id
WHERE t.overall_status IN ('RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION')
  AND t.withdrawn_from_source_at IS NULL
  AND l.country IS NOT NULL
GROUP BY l.country, t.nct_id;
)sql";

// v3: nightly runs (page counts, per-source figures for the publish gate, held and interrupted
// statuses), source records that vanished upstream, trials linked by registry identifiers.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE runs_v3 (
  id               INTEGER PRIMARY KEY,
  started_at       TEXT NOT NULL,
  finished_at      TEXT,
  command          TEXT NOT NULL,
  records_read     INTEGER NOT NULL DEFAULT 0,
  inserted         INTEGER NOT NULL DEFAULT 0,
  updated          INTEGER NOT NULL DEFAULT 0,
  unchanged        INTEGER NOT NULL DEFAULT 0,
  failed           INTEGER NOT NULL DEFAULT 0,
  pages_fetched    INTEGER NOT NULL DEFAULT 0,
  pages_unchanged  INTEGER NOT NULL DEFAULT 0,
  pages_parsed     INTEGER NOT NULL DEFAULT 0,
  pages_failed     INTEGER NOT NULL DEFAULT 0,
  records_held     INTEGER NOT NULL DEFAULT 0,
  trials_withdrawn INTEGER NOT NULL DEFAULT 0,
  message          TEXT,
  status           TEXT NOT NULL
    CHECK (status IN ('running', 'ok', 'partial', 'held', 'error', 'interrupted'))
);
INSERT INTO runs_v3 (id, started_at, finished_at, command, records_read, inserted, updated,
                     unchanged, failed, status)
SELECT id, started_at, finished_at, command, records_read, inserted, updated, unchanged, failed,
       status
  FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v3 RENAME TO runs;

-- What each source gave in a nightly run: the publish gate compares a run with the last one.
CREATE TABLE run_sources (
  run_id              INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  source              TEXT NOT NULL,
  format              TEXT NOT NULL,
  pages               INTEGER NOT NULL,
  pages_unchanged     INTEGER NOT NULL,
  fetch_failed        INTEGER NOT NULL,
  parse_failed        INTEGER NOT NULL,
  records             INTEGER NOT NULL,
  records_compared    INTEGER NOT NULL,
  records_lost_fields INTEGER NOT NULL,
  trials              INTEGER NOT NULL,
  discovery_complete  INTEGER NOT NULL CHECK (discovery_complete IN (0, 1)),
  held                INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
  held_reason         TEXT,
  PRIMARY KEY (run_id, source)
);

ALTER TABLE sources ADD COLUMN vanished_at TEXT;

CREATE INDEX trial_identifiers_value ON trial_identifiers (value) WHERE kind = 'secondary';

-- Secondary identifiers that are another registry's trial number.
CREATE VIEW trial_registry_ids AS
SELECT nct_id, registry, value AS registry_id
  FROM (SELECT nct_id, value,
               CASE
                 WHEN value GLOB '[12][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9]'
                   THEN 'EudraCT'
                 WHEN value GLOB
                      '[12][0-9][0-9][0-9]-5[0-9][0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                   THEN 'CTIS'
                 WHEN value GLOB 'ISRCTN[0-9]*' THEN 'ISRCTN'
                 WHEN value GLOB 'ACTRN[0-9]*' THEN 'ANZCTR'
                 WHEN value GLOB 'ChiCTR*[0-9]' THEN 'ChiCTR'
                 WHEN value GLOB 'DRKS[0-9]*' THEN 'DRKS'
                 WHEN value GLOB 'CTRI/[0-9]*' THEN 'CTRI'
                 WHEN value GLOB 'jRCT[0-9]*' THEN 'jRCT'
                 WHEN value GLOB 'NL[0-9]*' OR value GLOB 'NTR[0-9]*' THEN 'NTR'
               END AS registry
          FROM trial_identifiers
         WHERE kind = 'secondary')
 WHERE registry IS NOT NULL;

-- Trials linked by a shared registry identifier (the same study registered twice, or a
-- record of another registry naming it). Never merged: linked.
CREATE VIEW trial_links AS
SELECT a.nct_id, b.nct_id AS linked_nct_id, a.registry, a.registry_id
  FROM trial_registry_ids a
  JOIN trial_identifiers b ON b.kind = 'secondary' AND b.value = a.registry_id
 WHERE b.nct_id <> a.nct_id;
)sql";

// v4: the child tables' keys become named unique indexes instead of PRIMARY KEY clauses, so that
// a bulk load into an empty database can drop them and build them once at the end (a B-tree
// built from sorted keys instead of hundreds of thousands of random inserts into it). The
// tables are rebuilt (foreign keys off, legacy ALTER TABLE: the views name them and stay as
// they are); kIndexes below creates every index afterwards.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE trial_phases_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  phase   TEXT NOT NULL
);
INSERT INTO trial_phases_v4 SELECT nct_id, ordinal, phase FROM trial_phases;
DROP TABLE trial_phases;
ALTER TABLE trial_phases_v4 RENAME TO trial_phases;

CREATE TABLE trial_conditions_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  name    TEXT NOT NULL
);
INSERT INTO trial_conditions_v4 SELECT nct_id, ordinal, name FROM trial_conditions;
DROP TABLE trial_conditions;
ALTER TABLE trial_conditions_v4 RENAME TO trial_conditions;

CREATE TABLE trial_keywords_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  keyword TEXT NOT NULL
);
INSERT INTO trial_keywords_v4 SELECT nct_id, ordinal, keyword FROM trial_keywords;
DROP TABLE trial_keywords;
ALTER TABLE trial_keywords_v4 RENAME TO trial_keywords;

CREATE TABLE trial_mesh_terms_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  term    TEXT NOT NULL
);
INSERT INTO trial_mesh_terms_v4 SELECT nct_id, ordinal, term FROM trial_mesh_terms;
DROP TABLE trial_mesh_terms;
ALTER TABLE trial_mesh_terms_v4 RENAME TO trial_mesh_terms;

CREATE TABLE trial_identifiers_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('org_study_id', 'secondary')),
  value   TEXT NOT NULL
);
INSERT INTO trial_identifiers_v4 SELECT nct_id, ordinal, kind, value FROM trial_identifiers;
DROP TABLE trial_identifiers;
ALTER TABLE trial_identifiers_v4 RENAME TO trial_identifiers;

CREATE TABLE trial_interventions_v4 (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  type        TEXT,
  name        TEXT,
  description TEXT,
  other_names TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO trial_interventions_v4
SELECT nct_id, ordinal, type, name, description, other_names FROM trial_interventions;
DROP TABLE trial_interventions;
ALTER TABLE trial_interventions_v4 RENAME TO trial_interventions;

CREATE TABLE trial_arms_v4 (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  label       TEXT,
  type        TEXT,
  description TEXT
);
INSERT INTO trial_arms_v4 SELECT nct_id, ordinal, label, type, description FROM trial_arms;
DROP TABLE trial_arms;
ALTER TABLE trial_arms_v4 RENAME TO trial_arms;

CREATE TABLE trial_arm_interventions_v4 (
  nct_id      TEXT NOT NULL,
  arm_ordinal INTEGER NOT NULL,
  ordinal     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  FOREIGN KEY (nct_id, arm_ordinal) REFERENCES trial_arms (nct_id, ordinal) ON DELETE CASCADE
);
INSERT INTO trial_arm_interventions_v4
SELECT nct_id, arm_ordinal, ordinal, name FROM trial_arm_interventions;
DROP TABLE trial_arm_interventions;
ALTER TABLE trial_arm_interventions_v4 RENAME TO trial_arm_interventions;

CREATE TABLE trial_criteria_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  kind    TEXT NOT NULL CHECK (kind IN ('inclusion', 'exclusion')),
  ordinal INTEGER NOT NULL,
  text    TEXT NOT NULL
);
INSERT INTO trial_criteria_v4 SELECT nct_id, kind, ordinal, text FROM trial_criteria;
DROP TABLE trial_criteria;
ALTER TABLE trial_criteria_v4 RENAME TO trial_criteria;

CREATE TABLE trial_outcomes_v4 (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('primary', 'secondary')),
  ordinal     INTEGER NOT NULL,
  measure     TEXT,
  time_frame  TEXT,
  description TEXT
);
INSERT INTO trial_outcomes_v4
SELECT nct_id, kind, ordinal, measure, time_frame, description FROM trial_outcomes;
DROP TABLE trial_outcomes;
ALTER TABLE trial_outcomes_v4 RENAME TO trial_outcomes;

CREATE TABLE trial_sponsors_v4 (
  nct_id  TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  role    TEXT NOT NULL CHECK (role IN ('lead', 'collaborator')),
  ordinal INTEGER NOT NULL,
  name    TEXT,
  class   TEXT
);
INSERT INTO trial_sponsors_v4 SELECT nct_id, role, ordinal, name, class FROM trial_sponsors;
DROP TABLE trial_sponsors;
ALTER TABLE trial_sponsors_v4 RENAME TO trial_sponsors;

CREATE TABLE trial_officials_v4 (
  nct_id      TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  name        TEXT,
  role        TEXT,
  affiliation TEXT
);
INSERT INTO trial_officials_v4 SELECT nct_id, ordinal, name, role, affiliation FROM trial_officials;
DROP TABLE trial_officials;
ALTER TABLE trial_officials_v4 RENAME TO trial_officials;

CREATE TABLE trial_locations_v4 (
  nct_id   TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal  INTEGER NOT NULL,
  facility TEXT,
  city     TEXT,
  state    TEXT,
  zip      TEXT,
  country  TEXT,
  status   TEXT
);
INSERT INTO trial_locations_v4
SELECT nct_id, ordinal, facility, city, state, zip, country, status FROM trial_locations;
DROP TABLE trial_locations;
ALTER TABLE trial_locations_v4 RENAME TO trial_locations;

CREATE TABLE trial_related_v4 (
  nct_id         TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal        INTEGER NOT NULL,
  related_nct_id TEXT NOT NULL
);
INSERT INTO trial_related_v4 SELECT nct_id, ordinal, related_nct_id FROM trial_related;
DROP TABLE trial_related;
ALTER TABLE trial_related_v4 RENAME TO trial_related;

CREATE TABLE field_provenance_v4 (
  nct_id    TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  field     TEXT NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE
);
INSERT INTO field_provenance_v4 SELECT nct_id, field, source_id FROM field_provenance;
DROP TABLE field_provenance;
ALTER TABLE field_provenance_v4 RENAME TO field_provenance;

CREATE TABLE eligibility_thresholds_v4 (
  nct_id     TEXT NOT NULL REFERENCES trials (nct_id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('inclusion', 'exclusion')),
  criterion  INTEGER NOT NULL,
  parameter  TEXT,
  comparator TEXT,
  value      REAL,
  upper      REAL,
  unit       TEXT,
  sex        TEXT,
  condition  TEXT,
  text       TEXT
);
INSERT INTO eligibility_thresholds_v4
SELECT nct_id, ordinal, kind, criterion, parameter, comparator, value, upper, unit, sex, condition,
       text
  FROM eligibility_thresholds;
DROP TABLE eligibility_thresholds;
ALTER TABLE eligibility_thresholds_v4 RENAME TO eligibility_thresholds;
)sql";

// Version 5: eligibility thresholds say what they are and how they combine (issue 22): `form`
// (a bound of a parameter, or a time window), `or_group` (bounds of one criterion that are
// alternatives share an id: meeting one suffices), the value and unit as written beside the
// canonical ones in value/upper/unit. Existing rows are bounds, in no group, with nothing known
// of how they were written until the trial is stored again.
constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE eligibility_thresholds ADD COLUMN form TEXT NOT NULL DEFAULT 'bound'
  CHECK (form IN ('bound', 'window'));
ALTER TABLE eligibility_thresholds ADD COLUMN or_group INTEGER;
ALTER TABLE eligibility_thresholds ADD COLUMN value_written TEXT;
ALTER TABLE eligibility_thresholds ADD COLUMN unit_written TEXT;
)sql";

// Every index of the schema (v4), in one place: the migrations create them, a bulk load drops
// the droppable ones and builds them again, and opening a database recreates any that an
// interrupted bulk load left missing.
struct IndexSpec {
  std::string_view name;
  std::string_view definition;  // what follows "CREATE [UNIQUE] INDEX name"
  bool unique;
  bool kept_in_bulk_load;  // needed by the bulk load itself
};

constexpr std::array kIndexes = {
    IndexSpec{"sources_identity", "ON sources (nct_id, format, ifnull(url, ''))", true, true},
    IndexSpec{"trials_overall_status", "ON trials (overall_status)", false, false},
    IndexSpec{"trials_study_type", "ON trials (study_type)", false, false},
    IndexSpec{"trials_withdrawn_from_source_at",
              "ON trials (withdrawn_from_source_at) WHERE withdrawn_from_source_at IS NOT NULL",
              false, false},
    IndexSpec{"trials_fts_key", "ON trials (CAST(substr(nct_id, 4) AS INTEGER))", true, false},
    IndexSpec{"trial_phases_key", "ON trial_phases (nct_id, ordinal)", true, false},
    IndexSpec{"trial_phases_phase", "ON trial_phases (phase)", false, false},
    IndexSpec{"trial_conditions_key", "ON trial_conditions (nct_id, ordinal)", true, false},
    IndexSpec{"trial_conditions_name", "ON trial_conditions (name COLLATE NOCASE)", false, false},
    IndexSpec{"trial_keywords_key", "ON trial_keywords (nct_id, ordinal)", true, false},
    IndexSpec{"trial_mesh_terms_key", "ON trial_mesh_terms (nct_id, ordinal)", true, false},
    IndexSpec{"trial_identifiers_key", "ON trial_identifiers (nct_id, ordinal)", true, false},
    IndexSpec{"trial_identifiers_value", "ON trial_identifiers (value) WHERE kind = 'secondary'",
              false, false},
    IndexSpec{"trial_interventions_key", "ON trial_interventions (nct_id, ordinal)", true, false},
    IndexSpec{"trial_arms_key", "ON trial_arms (nct_id, ordinal)", true, false},
    IndexSpec{"trial_arm_interventions_key",
              "ON trial_arm_interventions (nct_id, arm_ordinal, ordinal)", true, false},
    IndexSpec{"trial_criteria_key", "ON trial_criteria (nct_id, kind, ordinal)", true, false},
    IndexSpec{"trial_outcomes_key", "ON trial_outcomes (nct_id, kind, ordinal)", true, false},
    IndexSpec{"trial_sponsors_key", "ON trial_sponsors (nct_id, role, ordinal)", true, false},
    IndexSpec{"trial_officials_key", "ON trial_officials (nct_id, ordinal)", true, false},
    IndexSpec{"trial_locations_key", "ON trial_locations (nct_id, ordinal)", true, false},
    IndexSpec{"trial_locations_country", "ON trial_locations (country)", false, false},
    IndexSpec{"trial_contacts_nct_id", "ON trial_contacts (nct_id, location_ordinal)", false, false},
    IndexSpec{"trial_related_key", "ON trial_related (nct_id, ordinal)", true, false},
    IndexSpec{"trial_related_related", "ON trial_related (related_nct_id)", false, false},
    IndexSpec{"field_provenance_key", "ON field_provenance (nct_id, field)", true, false},
    IndexSpec{"field_provenance_source", "ON field_provenance (source_id)", false, false},
    IndexSpec{"eligibility_thresholds_key", "ON eligibility_thresholds (nct_id, ordinal)", true,
              false},
    IndexSpec{"eligibility_thresholds_parameter", "ON eligibility_thresholds (parameter, nct_id)",
              false, false},
    IndexSpec{"trial_changes_nct_id", "ON trial_changes (nct_id, changed_at)", false, true},
    IndexSpec{"trial_changes_changed_at", "ON trial_changes (changed_at)", false, true},
};

// v6: a trial's past versions (trialmill history import: Archive pages, older exports) and the
// version date of the changes between them. Kept small on purpose: the wider store redesign
// comes later.
constexpr std::string_view kSchemaV6 = R"sql(
ALTER TABLE trial_changes ADD COLUMN version_date TEXT;
CREATE TABLE trial_versions (
  nct_id       TEXT NOT NULL,
  version_date TEXT NOT NULL,
  format       TEXT NOT NULL,
  sha256       TEXT,
  record_json  TEXT NOT NULL,
  imported_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX trial_versions_key ON trial_versions (nct_id, version_date);
CREATE INDEX trial_changes_version ON trial_changes (nct_id, version_date) WHERE version_date IS NOT NULL;
)sql";

std::string create_index_sql(const IndexSpec& index) {
  return str_cat("CREATE ", index.unique ? "UNIQUE " : "", "INDEX IF NOT EXISTS ", index.name, " ",
                 index.definition);
}

// In the caller's transaction.
void create_indexes(SQLite::Database& db, const std::vector<std::string>& names) {
  for (const IndexSpec& index : kIndexes)
    if (std::find(names.begin(), names.end(), index.name) != names.end())
      db.exec(create_index_sql(index));
}

// v7: when each source record was last confirmed upstream (listed by discovery or answered by a
// look-up by ID), so that the nightly removal sweep asks about the least recently confirmed first.
// Its own table: bookkeeping that changes every night, apart from the records' data.
constexpr std::string_view kSchemaV7 = R"sql(
CREATE TABLE source_confirmations (
  source_id    INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
  confirmed_at TEXT NOT NULL
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kSchemaV1},
    Migration{2, kSchemaV2},
    Migration{3, kSchemaV3},
    Migration{4, kSchemaV4},
    Migration{5, kSchemaV5},
    Migration{6, kSchemaV6},
    Migration{7, kSchemaV7},
};

void set_meta(SQLite::Database& db, std::string_view key, const std::string& value) {
  SQLite::Statement stmt(db,
                         "INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.bind(1, std::string(key));
  stmt.bind(2, value);
  stmt.exec();
}

void refuse_newer(SQLite::Database& db, int version) {
  if (version > kSchemaVersion)
    throw DatabaseError(str_cat(db.getFilename(), ": database schema version ", version,
                                " is newer than this trialmill-store knows (", kSchemaVersion,
                                "); use a newer trialmill"));
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

namespace {

// The connection as table rebuilds need it, for the life of the object; then as it was. Must be
// constructed outside a transaction (PRAGMA foreign_keys is a no-op inside one).
// - Foreign keys off: dropping the old copy of a table must not cascade to other tables.
// - Legacy ALTER TABLE: renaming the new copy must leave the views that name the table as they
//   are (the modern one first checks every view against the dropped copy, and fails).
class RebuildSettings {
 public:
  explicit RebuildSettings(SQLite::Database& db)
      : db_(db), foreign_keys_were_on_(db.execAndGet("PRAGMA foreign_keys").getInt() != 0) {
    db_.exec("PRAGMA foreign_keys = OFF");
    db_.exec("PRAGMA legacy_alter_table = ON");
  }
  ~RebuildSettings() {
    db_.tryExec("PRAGMA legacy_alter_table = OFF");
    if (foreign_keys_were_on_) db_.tryExec("PRAGMA foreign_keys = ON");
  }
  RebuildSettings(const RebuildSettings&) = delete;
  RebuildSettings& operator=(const RebuildSettings&) = delete;

 private:
  SQLite::Database& db_;
  bool foreign_keys_were_on_;
};

}  // namespace

void migrate(SQLite::Database& db, int target_version) {
  const int start_version = schema_version(db);
  refuse_newer(db, start_version);
  if (start_version < target_version) {
    RebuildSettings settings(db);
    for (const Migration& migration : kMigrations) {
      if (migration.version > target_version) break;
      if (schema_version(db) >= migration.version) continue;
      // IMMEDIATE so that two processes creating the same database do not both migrate it.
      SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
      int current = schema_version(db);
      refuse_newer(db, current);
      if (current >= migration.version) continue;
      db.exec(std::string(migration.sql));
      // kIndexes describes the schema from v4 on (v5 adds columns, v6 creates its own indexes):
      // its indexes come with the v4 migration, which rebuilt the tables they key, and any later one.
      if (migration.version >= 4) create_indexes(db, missing_indexes(db));
      if (int broken = db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt())
        throw DatabaseError(str_cat(db.getFilename(), ": migration to schema version ",
                                    migration.version, " would break ", broken,
                                    " foreign key references; nothing was changed"));
      db.exec(str_cat("PRAGMA user_version = ", migration.version));
      set_meta(db, "schema_version", std::to_string(migration.version));
      if (migration.version == 1) set_meta(db, "created_at", utc_now_iso8601());
      set_meta(db, "tool_version", TRIALMILL_VERSION);
      transaction.commit();
    }
  }
  // Those an interrupted bulk load left dropped.
  if (schema_version(db) == kSchemaVersion) create_missing_indexes(db);
}

std::vector<std::string> missing_indexes(SQLite::Database& db) {
  std::set<std::string> present;
  SQLite::Statement select(db, "SELECT name FROM sqlite_master WHERE type = 'index'");
  while (select.executeStep()) present.insert(select.getColumn(0).getString());
  std::vector<std::string> missing;
  for (const IndexSpec& index : kIndexes)
    if (!present.count(std::string(index.name))) missing.emplace_back(index.name);
  return missing;
}

size_t create_missing_indexes(SQLite::Database& db) {
  if (missing_indexes(db).empty()) return 0;  // the usual case: read-only, no lock taken
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  std::vector<std::string> missing = missing_indexes(db);  // again, under the write lock
  create_indexes(db, missing);
  transaction.commit();
  return missing.size();
}

void drop_bulk_load_indexes(SQLite::Database& db) {
  for (const IndexSpec& index : kIndexes)
    if (!index.kept_in_bulk_load) db.exec(str_cat("DROP INDEX IF EXISTS ", index.name));
}

namespace {

// Whether trialmill created the database: its user_version is one of our migrations' and its
// meta table says so. Reads only.
bool created_by_trialmill(SQLite::Database& db) {
  if (schema_version(db) <= 0) return false;
  if (!db.tableExists("meta")) return false;
  SQLite::Statement select(db, "SELECT count(*) FROM meta WHERE key = 'schema_version'");
  return select.executeStep() && select.getColumn(0).getInt() > 0;
}

// Another application's database is refused before anything could change a byte of it (the
// journal-mode switch rewrites the header, a migration adds seventy schema objects). An existing
// SQLite file with no schema objects is adopted only when asked.
void refuse_foreign(SQLite::Database& db, const std::string& path, bool adopt_empty) {
  if (created_by_trialmill(db)) return;
  std::vector<std::string> objects;
  SQLite::Statement select(db,
                           "SELECT type || ' ' || name FROM sqlite_master ORDER BY rowid LIMIT 6");
  while (select.executeStep()) objects.push_back(select.getColumn(0).getString());
  if (objects.empty() && adopt_empty) return;
  if (objects.empty())
    throw DatabaseError(str_cat(path,
                                ": an existing SQLite database that trialmill did not create "
                                "(empty, user_version ",
                                schema_version(db),
                                "); left untouched. To make it a trialmill database: "
                                "trialmill-store --db ",
                                path, " --adopt-empty </dev/null"));
  if (objects.size() > 5) objects.back() = "...";
  throw DatabaseError(str_cat(path, ": not a trialmill database (it holds ", join(objects, ", "),
                              "); left untouched"));
}

}  // namespace

SQLite::Database open_store_database(const std::string& path, bool adopt_empty) {
  try {
    std::error_code ec;
    // A new database: no file yet, or an empty file (nothing in it to protect).
    const bool fresh =
        !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
    // No mutex: a connection is never used by two threads at once (trialmill load hands its
    // store to the writer thread), and SQLite's per-call locking costs the writer 2-3 %.
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
                        kBusyTimeoutMs);
    // Checked before anything that could write (journal mode, migrations).
    refuse_newer(db, schema_version(db));
    if (!fresh) refuse_foreign(db, path, adopt_empty);
    db.exec("PRAGMA foreign_keys = ON");
    if (fresh) {
      // Created here: the schema first, in one transaction, so that another process opening the
      // file meanwhile sees no file bytes or a whole trialmill database, never a bare header.
      migrate(db);
      db.execAndGet("PRAGMA journal_mode = WAL");
    } else {
      db.execAndGet("PRAGMA journal_mode = WAL");
    }
    db.exec("PRAGMA synchronous = NORMAL");
    migrate(db);
    return db;
  } catch (const SQLite::Exception& e) {
    throw DatabaseError(str_cat(path, ": cannot open database: ", e.what()));
  }
}

}  // namespace trialmill
