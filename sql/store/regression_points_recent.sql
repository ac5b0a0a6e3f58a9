-- A probe set's latest points, newest first. Params: probe_set_id, limit. Returns: point columns.
SELECT id, run_id, measured_at, recall, p50_ms, p95_ms, p99_ms, settings::text AS settings, index_definition,
       plan_uses_index, starved_share, recall_breach, latency_breach, baseline_id, note, sweep::text AS sweep, rerank::text AS rerank,
       target_recall
FROM regression_point
WHERE probe_set_id = ?
ORDER BY measured_at DESC, id DESC
LIMIT ?;
