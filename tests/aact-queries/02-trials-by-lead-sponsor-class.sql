-- Trials by the class of their lead sponsor (here: OTHER, i.e. universities, hospitals).
SELECT s.nct_id, sp.name
  FROM ctgov.studies s
  JOIN ctgov.sponsors sp ON sp.nct_id = s.nct_id AND sp.lead_or_collaborator = 'lead'
 WHERE sp.agency_class = 'OTHER'
 ORDER BY s.nct_id;
-- trialmill
SELECT nct_id, lead_sponsor_name FROM trialmill.trials WHERE lead_sponsor_class = 'OTHER' ORDER BY nct_id;
