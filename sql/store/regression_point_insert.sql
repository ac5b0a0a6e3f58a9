-- One run's figures for a probe set. Params: probe_set_id, run_id, measured_at, recall, p50_ms,
-- p95_ms, p99_ms, settings (json), index_definition, plan_uses_index, starved_share, recall_breach,
-- latency_breach, baseline_id, note, sweep (json), rerank (json), target_recall.
-- Returns: id.
INSERT INTO regression_point (probe_set_id, run_id, measured_at, recall, p50_ms, p95_ms, p99_ms, settings,
                              index_definition, plan_uses_index, starved_share, recall_breach, latency_breach,
                              baseline_id, note, sweep, rerank, target_recall)
VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
RETURNING id;
