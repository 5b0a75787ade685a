-- Trials with an active comparator arm, or whose primary outcome is a survival measure.
SELECT g.nct_id FROM ctgov.design_groups g WHERE g.group_type = 'ACTIVE_COMPARATOR'
UNION
SELECT o.nct_id FROM ctgov.design_outcomes o
 WHERE o.outcome_type = 'primary' AND lower(o.measure) LIKE '%survival%'
ORDER BY 1;
-- trialmill
SELECT a.nct_id FROM trialmill.trial_arms a WHERE a.type = 'ACTIVE_COMPARATOR'
UNION
SELECT o.nct_id FROM trialmill.trial_outcomes o
 WHERE o.kind = 'primary' AND lower(o.measure) LIKE '%survival%'
ORDER BY 1;
