-- Today's sample of every vector index of a target, from its inventory rows (the latest sample of
-- a day replaces the earlier one). Params: day, target.
INSERT INTO vector_index_history (target, schema_name, index_name, day, rows, size_bytes, table_bytes, residency)
SELECT target, schema_name, index_name, ?::date, rows, size_bytes, table_bytes, residency
FROM vector_index
WHERE target = ?
ON CONFLICT (target, schema_name, index_name, day) DO UPDATE
SET rows = EXCLUDED.rows, size_bytes = EXCLUDED.size_bytes, table_bytes = EXCLUDED.table_bytes,
    residency = EXCLUDED.residency;
