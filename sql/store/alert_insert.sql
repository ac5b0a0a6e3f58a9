-- A new firing alert. Params: target, object, kind, job, severity, message, metrics, started_at, last_seen_at.
-- Returns: id, or no row when another job already has this (target, object, kind) firing:
-- alerts are deduplicated by that key, whichever job saw it first owns it.
INSERT INTO alert (target, object, kind, job, severity, state, message, metrics, started_at, last_seen_at)
VALUES (?, ?, ?, ?, ?, 'firing', ?, ?::jsonb, ?, ?)
ON CONFLICT (target, object, kind) WHERE state = 'firing' DO NOTHING
RETURNING id;
