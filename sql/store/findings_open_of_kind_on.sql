-- The open findings of one kind on one target (a job reading what another job saw of its target),
-- by object. Params: kind, target.
SELECT id, job, target, object, kind, severity, message, metrics::text AS metrics,
       first_seen, last_seen, resolved_at, first_run_id, last_run_id
FROM finding
WHERE resolved_at IS NULL AND kind = ? AND target = ?
ORDER BY object;
