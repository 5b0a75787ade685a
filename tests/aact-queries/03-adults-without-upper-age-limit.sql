-- Eligibility by age: adults (minimum at least 18 years) with no upper age limit.
SELECT e.nct_id, e.minimum_age, e.maximum_age
  FROM ctgov.eligibilities e
 WHERE e.minimum_age <> 'N/A'
   AND split_part(e.minimum_age, ' ', 2) = 'Years'
   AND split_part(e.minimum_age, ' ', 1)::numeric >= 18
   AND e.maximum_age = 'N/A'
 ORDER BY e.nct_id;
-- trialmill
SELECT nct_id, minimum_age_value, maximum_age_value
  FROM trialmill.trials
 WHERE minimum_age_unit = 'YEARS' AND minimum_age_value >= 18 AND maximum_age_value IS NULL
 ORDER BY nct_id;
