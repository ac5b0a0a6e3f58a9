-- Open findings of one job on one target that can alert (warning, critical). Params: job, target.
SELECT id, object, kind, severity, message, metrics::text AS metrics, first_seen, times_seen
FROM finding
WHERE job = ? AND target = ? AND resolved_at IS NULL AND severity IN ('warning', 'critical')
ORDER BY id;
