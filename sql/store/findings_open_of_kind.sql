-- The open findings of one kind on every target (e.g. pgvector-advisory for the status page),
-- by target and object. Params: kind.
SELECT id, job, target, object, kind, severity, message, metrics::text AS metrics,
       first_seen, last_seen, resolved_at, first_run_id, last_run_id
FROM finding
WHERE resolved_at IS NULL AND kind = ?
ORDER BY target, object;
