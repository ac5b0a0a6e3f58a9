-- Firing alerts raised by one job on one target, locked for this evaluation. Params: job, target.
SELECT id, target, object, kind, job, severity, state, message, metrics::text AS metrics, started_at,
       last_seen_at, clear_since, resolved_at, last_notified_at, notified_severity
FROM alert WHERE job = ? AND target = ? AND state = 'firing'
FOR UPDATE;
