-- Eligibility by age and sex: trials a 72-year-old woman could join.
SELECT e.nct_id
  FROM ctgov.eligibilities e
 WHERE e.gender IN ('ALL', 'FEMALE')
   AND (e.minimum_age = 'N/A' OR (split_part(e.minimum_age, ' ', 2) = 'Years'
                                   AND split_part(e.minimum_age, ' ', 1)::numeric <= 72))
   AND (e.maximum_age = 'N/A' OR (split_part(e.maximum_age, ' ', 2) = 'Years'
                                   AND split_part(e.maximum_age, ' ', 1)::numeric >= 72))
 ORDER BY e.nct_id;
-- trialmill
SELECT nct_id
  FROM trialmill.trials
 WHERE sex IN ('ALL', 'FEMALE')
   AND (min_age_years IS NULL OR min_age_years <= 72)
   AND (max_age_years IS NULL OR max_age_years >= 72)
 ORDER BY nct_id;
