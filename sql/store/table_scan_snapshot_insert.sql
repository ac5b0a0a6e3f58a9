-- Stores scan counters in one statement. Params: target, taken_at, schema names[], table names[], seq_scan[], idx_scan[].
INSERT INTO table_scan_snapshot (target, taken_at, schema_name, table_name, seq_scan, idx_scan)
SELECT ?, ?, u.* FROM unnest(?::text[], ?::text[], ?::int8[], ?::int8[]) AS u(schema_name, table_name, seq_scan, idx_scan);
