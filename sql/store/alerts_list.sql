-- Alerts in one state, newest first. Params: state, limit.
SELECT id, target, object, kind, job, severity, state, message, metrics::text AS metrics, started_at,
       last_seen_at, clear_since, resolved_at, last_notified_at, notified_severity
FROM alert WHERE state = ? ORDER BY coalesce(resolved_at, started_at) DESC, id DESC LIMIT ?;
