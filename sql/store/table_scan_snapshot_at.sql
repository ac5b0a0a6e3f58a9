-- One stored snapshot of vector tables' scan counters. Params: target, taken_at.
SELECT schema_name, table_name, seq_scan, idx_scan FROM table_scan_snapshot WHERE target = ? AND taken_at = ?;
