-- The write cost baselines of a target's statements. Params: target.
-- Returns: queryid, table_name, buffers_per_row, rows, seen_at.
SELECT queryid, table_name, buffers_per_row, rows, seen_at FROM write_cost_baseline WHERE target = ?;
