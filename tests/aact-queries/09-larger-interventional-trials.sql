-- Interventional trials enrolling at least 40 participants, largest first.
SELECT nct_id, enrollment, enrollment_type
  FROM ctgov.studies
 WHERE study_type = 'INTERVENTIONAL' AND enrollment >= 40
 ORDER BY enrollment DESC, nct_id;
-- trialmill
SELECT nct_id, enrollment_count, enrollment_type
  FROM trialmill.trials
 WHERE study_type = 'INTERVENTIONAL' AND enrollment_count >= 40
 ORDER BY enrollment_count DESC, nct_id;
