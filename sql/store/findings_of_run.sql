-- Findings a run raised or confirmed, as they stand now. Params: run id.
SELECT f.id, f.job, f.target, f.object, f.kind, f.severity, f.message, f.metrics::text AS metrics,
       f.first_seen, f.last_seen, f.resolved_at, f.first_run_id, f.last_run_id
FROM run_finding rf JOIN finding f ON f.id = rf.finding_id
WHERE rf.run_id = ?
ORDER BY f.id;
