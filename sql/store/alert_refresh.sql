-- A firing alert whose finding is still (or again) open. Params: severity, message, metrics, last_seen_at, id.
UPDATE alert SET severity = ?, message = ?, metrics = ?::jsonb, last_seen_at = ?, clear_since = NULL WHERE id = ?;
