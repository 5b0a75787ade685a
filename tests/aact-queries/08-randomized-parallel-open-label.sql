-- Randomized, parallel-group, open-label designs.
SELECT d.nct_id
  FROM ctgov.designs d
 WHERE d.allocation = 'RANDOMIZED' AND d.intervention_model = 'PARALLEL' AND d.masking = 'NONE'
 ORDER BY d.nct_id;
-- trialmill
SELECT nct_id
  FROM trialmill.trials
 WHERE allocation = 'RANDOMIZED' AND intervention_model = 'PARALLEL' AND masking = 'NONE'
 ORDER BY nct_id;
