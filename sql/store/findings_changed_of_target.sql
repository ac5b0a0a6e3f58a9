-- Findings of one target opened or resolved since a time (its "what changed" timeline), newest
-- change first. Params: target, since, since, limit.
SELECT id, job, target, object, kind, severity, message, metrics::text AS metrics, first_seen, last_seen,
       resolved_at, first_run_id, last_run_id
FROM finding
WHERE target = ? AND (first_seen >= ? OR resolved_at >= ?)
ORDER BY greatest(first_seen, coalesce(resolved_at, first_seen)) DESC, id DESC
LIMIT ?;
