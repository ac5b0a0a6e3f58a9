-- The series of one index on a target: every point of its probe sets (retired ones too), oldest
-- first, with whether each is its set's current baseline. Params: target, index_name, since, limit.
-- Returns: probe set columns, point columns, is_baseline, baseline_reason.
SELECT s.id AS probe_set_id, s.label, s.spec::text AS spec, s.created_at, s.retired_at,
       p.id, p.run_id, p.measured_at, p.recall, p.p50_ms, p.p95_ms, p.p99_ms, p.settings::text AS settings,
       p.index_definition, p.plan_uses_index, p.starved_share, p.recall_breach, p.latency_breach, p.baseline_id,
       p.note, p.sweep::text AS sweep, p.rerank::text AS rerank, p.target_recall,
       b.point_id IS NOT NULL AS is_baseline, b.reason AS baseline_reason
FROM regression_probe_set s
JOIN regression_point p ON p.probe_set_id = s.id
LEFT JOIN regression_baseline b ON b.probe_set_id = s.id AND b.point_id = p.id
WHERE s.target = ? AND s.index_name = ? AND p.measured_at >= ?
ORDER BY s.id, p.measured_at, p.id
LIMIT ?;
