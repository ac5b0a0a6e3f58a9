-- Firing alerts whose finding has been gone for keepFiringFor or longer, locked; another instance
-- doing the same skips them. Params: cleared before (now - keepFiringFor).
SELECT id, target, object, kind, job, severity, state, message, metrics::text AS metrics, started_at,
       last_seen_at, clear_since, resolved_at, last_notified_at, notified_severity
FROM alert WHERE state = 'firing' AND clear_since IS NOT NULL AND clear_since <= ?
ORDER BY job, target, id
FOR UPDATE SKIP LOCKED;
