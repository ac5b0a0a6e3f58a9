-- The latest point of every probe set in use on a target (for the inventory). Params: target.
-- Returns: index_name, label, k, measured_at, recall, p50_ms, p95_ms, p99_ms, plan_uses_index.
SELECT DISTINCT ON (s.id) s.index_name, s.label, (s.spec ->> 'k')::int AS k, p.measured_at, p.recall,
       p.p50_ms, p.p95_ms, p.p99_ms, p.plan_uses_index
FROM regression_probe_set s
JOIN regression_point p ON p.probe_set_id = s.id
WHERE s.target = ? AND s.retired_at IS NULL
ORDER BY s.id, p.measured_at DESC, p.id DESC;
