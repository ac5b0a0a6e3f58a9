-- Stores (replaces) a probe set's exact neighbours. Params: probe_set_id, computed_at, method,
-- table_oid, table_changes, live_rows, rows_scanned, millis, distances (json text).
INSERT INTO regression_ground_truth AS g (probe_set_id, computed_at, method, table_oid, table_changes, live_rows,
                                          rows_scanned, millis, distances)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
ON CONFLICT (probe_set_id) DO UPDATE
SET computed_at = excluded.computed_at, method = excluded.method, table_oid = excluded.table_oid,
    table_changes = excluded.table_changes, live_rows = excluded.live_rows,
    rows_scanned = excluded.rows_scanned, millis = excluded.millis, distances = excluded.distances;
