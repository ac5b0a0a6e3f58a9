-- How many silences are in force or scheduled (not expired, not ended) at a time, against
-- alerts.maxSilences. Params: at.
SELECT count(*) FROM silence WHERE expired_at IS NULL AND ends_at > ?;
