-- Silences in force at a time. Params: at, at.
SELECT id, target, kind, object_pattern, starts_at, ends_at, comment, created_at, expired_at
FROM silence WHERE expired_at IS NULL AND starts_at <= ? AND ends_at > ? ORDER BY id;
