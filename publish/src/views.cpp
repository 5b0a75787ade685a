// The views of the PostgreSQL target. trialmill's own (as in docs/schema.md) and schema `ctgov`,
// AACT's table and column names and value forms (docs/postgres.md lists each view's deviations).
#include <string>

#include "trialmill/publish/target_schema.hpp"

namespace trialmill {

std::string trialmill_views_sql() {
  return R"sql(
CREATE VIEW trialmill.trial_summary AS
SELECT t.nct_id, t.brief_title, t.overall_status, t.phases, t.study_type, t.enrollment_count,
       (SELECT string_agg(c.name, '; ' ORDER BY c.ordinal) FROM trialmill.trial_conditions c
         WHERE c.nct_id = t.nct_id) AS conditions,
       t.lead_sponsor_name, t.start_date, t.primary_completion_date, t.completion_date,
       t.last_update_posted,
       (SELECT count(*) FROM trialmill.sources s WHERE s.nct_id = t.nct_id) AS source_count,
       t.withdrawn_from_source_at
  FROM trialmill.trials t;

CREATE VIEW trialmill.recruiting_by_condition AS
SELECT c.name AS condition, t.nct_id, t.brief_title, t.phases, t.overall_status
  FROM trialmill.trial_conditions c JOIN trialmill.trials t ON t.nct_id = c.nct_id
 WHERE t.overall_status IN ('RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION')
   AND t.withdrawn_from_source_at IS NULL;

CREATE VIEW trialmill.recruiting_by_country AS
SELECT l.country, t.nct_id, t.brief_title, t.phases, t.overall_status, count(*) AS sites
  FROM trialmill.trial_locations l JOIN trialmill.trials t ON t.nct_id = l.nct_id
 WHERE t.overall_status IN ('RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION')
   AND t.withdrawn_from_source_at IS NULL AND l.country IS NOT NULL
 GROUP BY l.country, t.nct_id, t.brief_title, t.phases, t.overall_status;
)sql";
}

std::string ctgov_views_sql() {
  // `id`: AACT's serial ids do not exist here; a stable number per row instead: the NCT number
  // times 100000, plus 10000 for a second list of the same table (collaborators, secondary
  // outcomes, exclusion), plus the position in the list.
  return R"sql(
CREATE FUNCTION ctgov.row_id(nct_id text, part int, ordinal bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substr(nct_id, 4)::bigint * 100000 + part * 10000 + ordinal $$;

CREATE VIEW ctgov.studies AS
SELECT t.nct_id,
       NULL::varchar AS nlm_download_date_description,
       NULL::date AS study_first_submitted_date,
       NULL::date AS results_first_submitted_date,
       NULL::date AS last_update_submitted_date,
       t.first_posted_day AS study_first_posted_date,
       NULL::varchar AS study_first_posted_date_type,
       t.last_update_posted_day AS last_update_posted_date,
       NULL::varchar AS last_update_posted_date_type,
       t.start_date AS start_month_year,
       t.start_date_type,
       t.start_date_day AS start_date,
       t.last_verified AS verification_month_year,
       t.last_verified_day AS verification_date,
       t.completion_date AS completion_month_year,
       t.completion_date_type,
       t.completion_date_day AS completion_date,
       t.primary_completion_date AS primary_completion_month_year,
       t.primary_completion_date_type,
       t.primary_completion_date_day AS primary_completion_date,
       t.study_type,
       t.acronym,
       t.brief_title,
       t.official_title,
       t.overall_status,
       NULL::varchar AS last_known_status,
       replace(t.phases, '|', '/') AS phase,
       t.enrollment_count::integer AS enrollment,
       t.enrollment_type,
       t.lead_sponsor_name AS source,
       t.lead_sponsor_class AS source_class,
       (SELECT count(*) FROM trialmill.trial_arms a WHERE a.nct_id = t.nct_id)::integer
         AS number_of_arms,
       NULL::varchar AS why_stopped,
       NULL::boolean AS has_dmc,
       NULL::boolean AS has_expanded_access,
       t.has_results,
       t.first_seen_at AT TIME ZONE 'UTC' AS created_at,
       t.updated_at AT TIME ZONE 'UTC' AS updated_at,
       t.withdrawn_from_source_at
  FROM trialmill.trials t;

CREATE VIEW ctgov.conditions AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id, name, lower(name) AS downcase_name
  FROM trialmill.trial_conditions;

CREATE VIEW ctgov.keywords AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id, keyword AS name,
       lower(keyword) AS downcase_name
  FROM trialmill.trial_keywords;

CREATE VIEW ctgov.interventions AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id, type AS intervention_type, name,
       description
  FROM trialmill.trial_interventions;

CREATE VIEW ctgov.facilities AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id, status, facility AS name, city, state, zip,
       country
  FROM trialmill.trial_locations;

CREATE VIEW ctgov.countries AS
SELECT ctgov.row_id(nct_id, 0, min(ordinal)) AS id, nct_id, country AS name, false AS removed
  FROM trialmill.trial_locations
 WHERE country IS NOT NULL
 GROUP BY nct_id, country;

CREATE VIEW ctgov.sponsors AS
SELECT ctgov.row_id(nct_id, CASE role WHEN 'lead' THEN 0 ELSE 1 END, ordinal) AS id, nct_id,
       class AS agency_class, role AS lead_or_collaborator, name
  FROM trialmill.trial_sponsors;

CREATE VIEW ctgov.eligibilities AS
SELECT ctgov.row_id(nct_id, 0, 0) AS id, nct_id,
       NULL::varchar AS sampling_method,
       sex AS gender,
       coalesce(trialmill.aact_age(minimum_age_value, minimum_age_unit), 'N/A') AS minimum_age,
       coalesce(trialmill.aact_age(maximum_age_value, maximum_age_unit), 'N/A') AS maximum_age,
       CASE healthy_volunteers WHEN true THEN 'Accepts Healthy Volunteers' WHEN false THEN 'No'
       END AS healthy_volunteers,
       NULL::text AS population,
       eligibility_criteria AS criteria,
       NULL::text AS gender_description,
       NULL::boolean AS gender_based,
       (min_age_years IS NULL OR min_age_years < 65) AND (max_age_years IS NULL OR max_age_years >= 18)
         AS adult,
       (min_age_years IS NULL OR min_age_years < 18) AS child,
       (max_age_years IS NULL OR max_age_years >= 65) AS older_adult
  FROM trialmill.trials;

CREATE VIEW ctgov.design_groups AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id, type AS group_type, label AS title,
       description
  FROM trialmill.trial_arms;

CREATE VIEW ctgov.design_outcomes AS
SELECT ctgov.row_id(nct_id, CASE kind WHEN 'primary' THEN 0 ELSE 1 END, ordinal) AS id, nct_id,
       kind AS outcome_type, measure, time_frame, NULL::varchar AS population, description
  FROM trialmill.trial_outcomes;

CREATE VIEW ctgov.id_information AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id,
       CASE kind WHEN 'org_study_id' THEN 'org_study_id' ELSE 'secondary_id' END AS id_source,
       value AS id_value, NULL::varchar AS id_type, NULL::varchar AS id_type_description,
       NULL::varchar AS id_link
  FROM trialmill.trial_identifiers;

CREATE VIEW ctgov.brief_summaries AS
SELECT ctgov.row_id(nct_id, 0, 0) AS id, nct_id, brief_summary AS description
  FROM trialmill.trials WHERE brief_summary IS NOT NULL;

CREATE VIEW ctgov.detailed_descriptions AS
SELECT ctgov.row_id(nct_id, 0, 0) AS id, nct_id, detailed_description AS description
  FROM trialmill.trials WHERE detailed_description IS NOT NULL;

CREATE VIEW ctgov.designs AS
SELECT ctgov.row_id(nct_id, 0, 0) AS id, nct_id, allocation, intervention_model,
       NULL::varchar AS observational_model, primary_purpose, NULL::varchar AS time_perspective,
       masking, NULL::text AS masking_description, NULL::text AS intervention_model_description,
       NULL::boolean AS subject_masked, NULL::boolean AS caregiver_masked,
       NULL::boolean AS investigator_masked, NULL::boolean AS outcomes_assessor_masked
  FROM trialmill.trials
 WHERE allocation IS NOT NULL OR intervention_model IS NOT NULL OR primary_purpose IS NOT NULL
    OR masking IS NOT NULL;

CREATE VIEW ctgov.overall_officials AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id, role, name, affiliation
  FROM trialmill.trial_officials;

CREATE VIEW ctgov.central_contacts AS
SELECT ctgov.row_id(nct_id, 0, ordinal) AS id, nct_id,
       CASE ordinal WHEN 0 THEN 'primary' ELSE 'backup' END AS contact_type,
       name, phone, email, NULL::varchar AS phone_extension, role
  FROM trialmill.trial_contacts
 WHERE location_ordinal IS NULL;

CREATE VIEW ctgov.responsible_parties AS
SELECT ctgov.row_id(nct_id, 0, 0) AS id, nct_id, responsible_party_type, responsible_party_name AS name,
       NULL::varchar AS title, NULL::varchar AS organization,
       responsible_party_affiliation AS affiliation, NULL::varchar AS old_name_title
  FROM trialmill.trials
 WHERE responsible_party_type IS NOT NULL OR responsible_party_name IS NOT NULL
    OR responsible_party_affiliation IS NOT NULL;
)sql";
}

}  // namespace trialmill
