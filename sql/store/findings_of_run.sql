-- Findings a run raised or refreshed. Params: run id.
SELECT id, job, target, object, kind, severity, message, metrics::text AS metrics,
       first_seen, last_seen, resolved_at, first_run_id, last_run_id
FROM finding WHERE last_run_id = ? OR first_run_id = ? ORDER BY id;
