-- Alerts that were part of a notification. Params: last_notified_at, ids (bigint[]).
UPDATE alert SET last_notified_at = ?, notified_severity = severity WHERE id = ANY (?);
