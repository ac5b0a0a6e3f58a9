-- The cached exact neighbours of a probe set. Params: probe_set_id.
-- Returns: computed_at, method, table_oid, table_changes, live_rows, rows_scanned, millis, distances.
SELECT computed_at, method, table_oid, table_changes, live_rows, rows_scanned, millis, distances::text AS distances
FROM regression_ground_truth WHERE probe_set_id = ?;
