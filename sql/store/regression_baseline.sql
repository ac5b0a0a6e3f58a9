-- A probe set's baseline with its point. Params: probe_set_id.
-- Returns: reason, pinned_at and the point's columns.
SELECT b.reason, b.pinned_at, p.id, p.run_id, p.measured_at, p.recall, p.p50_ms, p.p95_ms, p.p99_ms,
       p.settings::text AS settings, p.index_definition, p.plan_uses_index, p.starved_share, p.recall_breach,
       p.latency_breach, p.baseline_id, p.note, p.sweep::text AS sweep, p.rerank::text AS rerank, p.target_recall
FROM regression_baseline b
JOIN regression_point p ON p.id = b.point_id
WHERE b.probe_set_id = ?;
