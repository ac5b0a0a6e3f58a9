-- Every index that a finished, non-dry run of an index-rebuild job rebuilt on one target (failed
-- attempts, which carry an error, left out), newest first. Params: target.
SELECT r.id AS run_id, r.ended_at, e->>'index' AS index_name, e->>'reason' AS reason,
       (e->>'seconds')::float8 AS seconds, (e->>'sizeBefore')::bigint AS size_before,
       (e->>'sizeAfter')::bigint AS size_after
FROM job_run r
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(r.summary->'rebuilt') = 'array' THEN r.summary->'rebuilt' ELSE '[]'::jsonb END) e
WHERE r.kind = 'index-rebuild' AND r.target = ? AND r.ended_at IS NOT NULL AND NOT r.dry_run
  AND e->>'error' IS NULL
ORDER BY r.ended_at DESC, r.id DESC;
