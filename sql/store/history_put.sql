-- One index's sample of one day (a backfill, or a test's history). Params: target, schema_name,
-- index_name, day, rows, size_bytes, table_bytes, residency.
INSERT INTO vector_index_history (target, schema_name, index_name, day, rows, size_bytes, table_bytes, residency)
VALUES (?, ?, ?, ?::date, ?, ?, ?, ?)
ON CONFLICT (target, schema_name, index_name, day) DO UPDATE
SET rows = EXCLUDED.rows, size_bytes = EXCLUDED.size_bytes, table_bytes = EXCLUDED.table_bytes,
    residency = EXCLUDED.residency;
