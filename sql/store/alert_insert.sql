-- A new firing alert. Params: target, object, kind, job, severity, message, metrics, started_at, last_seen_at.
INSERT INTO alert (target, object, kind, job, severity, state, message, metrics, started_at, last_seen_at)
VALUES (?, ?, ?, ?, ?, 'firing', ?, ?::jsonb, ?, ?)
RETURNING id;
