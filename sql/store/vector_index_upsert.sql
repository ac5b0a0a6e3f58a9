-- One vector index as the health job saw it. Params: target, schema_name, index_name, table_name,
-- column_name, column_type, dimensions, method, opclass, options (json text), size_bytes,
-- table_bytes, rows, valid, definition, observed_at, partition_of, partitions (json text or null).
INSERT INTO vector_index AS v (target, schema_name, index_name, table_name, column_name, column_type, dimensions,
                               method, opclass, options, size_bytes, table_bytes, rows, valid, definition, observed_at,
                               partition_of, partitions)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
ON CONFLICT (target, schema_name, index_name) DO UPDATE SET
  table_name = EXCLUDED.table_name, column_name = EXCLUDED.column_name, column_type = EXCLUDED.column_type,
  dimensions = EXCLUDED.dimensions, method = EXCLUDED.method, opclass = EXCLUDED.opclass,
  options = EXCLUDED.options, size_bytes = EXCLUDED.size_bytes, table_bytes = EXCLUDED.table_bytes,
  rows = EXCLUDED.rows, valid = EXCLUDED.valid, definition = EXCLUDED.definition, observed_at = EXCLUDED.observed_at,
  partition_of = EXCLUDED.partition_of, partitions = EXCLUDED.partitions;
