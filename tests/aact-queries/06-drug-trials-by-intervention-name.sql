-- Trials of a drug, by intervention name.
SELECT DISTINCT i.nct_id
  FROM ctgov.interventions i
 WHERE i.intervention_type = 'DRUG' AND lower(i.name) LIKE '%retinoic%'
 ORDER BY i.nct_id;
-- trialmill
SELECT DISTINCT nct_id
  FROM trialmill.trial_interventions
 WHERE type = 'DRUG' AND lower(name) LIKE '%retinoic%'
 ORDER BY nct_id;
