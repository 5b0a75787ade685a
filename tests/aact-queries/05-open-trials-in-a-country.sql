-- Trials recruiting or about to recruit in a country.
SELECT DISTINCT s.nct_id, s.overall_status
  FROM ctgov.studies s
  JOIN ctgov.countries c ON c.nct_id = s.nct_id AND c.removed IS NOT TRUE
 WHERE c.name = 'China' AND s.overall_status IN ('RECRUITING', 'NOT_YET_RECRUITING')
 ORDER BY s.nct_id;
-- trialmill
SELECT DISTINCT t.nct_id, t.overall_status
  FROM trialmill.trials t JOIN trialmill.trial_locations l ON l.nct_id = t.nct_id
 WHERE l.country = 'China' AND t.overall_status IN ('RECRUITING', 'NOT_YET_RECRUITING')
 ORDER BY t.nct_id;
