-- Every silence, newest first, a page at a time. Params: before (an id; the page holds smaller
-- ones), limit.
SELECT id, target, kind, object_pattern, starts_at, ends_at, comment, created_at, expired_at
FROM silence WHERE id < ? ORDER BY id DESC LIMIT ?;
