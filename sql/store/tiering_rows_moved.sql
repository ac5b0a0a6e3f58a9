-- Rows the tiering job moved on each target, summed over every run the state schema keeps (dry
-- runs excluded): a counter for Prometheus (pgvector_ops_tiering_rows_moved_total). No params.
SELECT r.target, coalesce(sum(m.value::bigint), 0) AS moved
FROM job_run r
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(r.summary -> 'tables') = 'array' THEN r.summary -> 'tables' ELSE '[]' END) t
CROSS JOIN LATERAL jsonb_each_text(
  CASE WHEN jsonb_typeof(t -> 'moved') = 'object' THEN t -> 'moved' ELSE '{}' END) m
WHERE r.kind = 'tiering' AND NOT r.dry_run
GROUP BY r.target
ORDER BY r.target;
