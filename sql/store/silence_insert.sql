-- A new silence. Params: target, kind, object_pattern, starts_at, ends_at, comment, created_at. Returns: id.
INSERT INTO silence (target, kind, object_pattern, starts_at, ends_at, comment, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id;
