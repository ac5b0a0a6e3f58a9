-- The inventory of one target. Params: target.
SELECT schema_name, index_name, table_name, column_name, column_type, dimensions, method, opclass,
       options::text AS options, size_bytes, table_bytes, rows, valid, definition, observed_at,
       bloat_ratio, bloat_bytes, bloat_method, bloat_measured_at, residency, residency_measured_at
FROM vector_index WHERE target = ? ORDER BY schema_name, table_name, index_name;
