-- A statement's write cost baseline: set the first time, lowered when a cheaper interval is seen.
-- Params: target, queryid, table_name, buffers_per_row, rows, seen_at.
INSERT INTO write_cost_baseline (target, queryid, table_name, buffers_per_row, rows, seen_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (target, queryid) DO UPDATE
  SET buffers_per_row = excluded.buffers_per_row, rows = excluded.rows, seen_at = excluded.seen_at,
      table_name = excluded.table_name
  WHERE excluded.buffers_per_row < write_cost_baseline.buffers_per_row;
