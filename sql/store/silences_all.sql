-- Every silence, newest first. Params: limit.
SELECT id, target, kind, object_pattern, starts_at, ends_at, comment, created_at, expired_at
FROM silence ORDER BY id DESC LIMIT ?;
