-- Trials that started (or are to start) on or after a date.
SELECT nct_id, start_date, start_date_type
  FROM ctgov.studies
 WHERE start_date >= DATE '2019-01-01'
 ORDER BY nct_id;
-- trialmill
SELECT nct_id, start_date_day, start_date_type
  FROM trialmill.trials
 WHERE start_date_day >= DATE '2019-01-01'
 ORDER BY nct_id;
