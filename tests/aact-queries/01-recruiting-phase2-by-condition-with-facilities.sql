-- Recruiting phase 2 trials for a condition, with their sites.
SELECT s.nct_id, s.brief_title, f.name AS facility, f.city, f.country
  FROM ctgov.studies s
  JOIN ctgov.conditions c ON c.nct_id = s.nct_id
  JOIN ctgov.facilities f ON f.nct_id = s.nct_id
 WHERE s.overall_status = 'RECRUITING'
   AND s.phase IN ('PHASE2', 'PHASE1/PHASE2', 'PHASE2/PHASE3')
   AND c.downcase_name LIKE '%myeloma%'
 ORDER BY s.nct_id, f.name;
-- trialmill
SELECT t.nct_id, t.brief_title, l.facility, l.city, l.country
  FROM trialmill.trials t
  JOIN trialmill.trial_locations l ON l.nct_id = t.nct_id
 WHERE t.overall_status = 'RECRUITING'
   AND EXISTS (SELECT 1 FROM trialmill.trial_phases p WHERE p.nct_id = t.nct_id AND p.phase = 'PHASE2')
   AND EXISTS (SELECT 1 FROM trialmill.trial_conditions c
                WHERE c.nct_id = t.nct_id AND lower(c.name) LIKE '%myeloma%')
 ORDER BY t.nct_id, l.facility;
