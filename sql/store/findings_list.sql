-- Findings, newest first. Params: want_open (boolean), target or null, job or null, limit.
SELECT id, job, target, object, kind, severity, message, metrics::text AS metrics,
       first_seen, last_seen, resolved_at, first_run_id, last_run_id
FROM finding
WHERE (resolved_at IS NULL) = ?
  AND (?::text IS NULL OR target = ?::text)
  AND (?::text IS NULL OR job = ?::text)
ORDER BY coalesce(resolved_at, last_seen) DESC, id DESC
LIMIT ?;
