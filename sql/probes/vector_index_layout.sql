-- What the pgvector size model needs for every hnsw and ivfflat index: method, value type and
-- dimensions, reloptions (m, lists), actual size, row counts (planner estimates; the index's own
-- for partial indexes), and the column's statistics (null_frac, avg_width). No params.
-- Returns: schema_name, index_name, table_name, method, type_name, dimensions, options (json array),
--          actual_bytes, table_rows, index_rows, partial, null_frac, avg_width, valid, index_oid, table_oid,
--          definition (pg_get_indexdef), build_in_progress (any index build running on the table).
SELECT n.nspname AS schema_name,
       ic.relname AS index_name,
       tc.relname AS table_name,
       am.amname AS method,
       t.typname AS type_name,
       CASE WHEN a.atttypmod > 0 THEN a.atttypmod END AS dimensions,
       coalesce(array_to_json(ic.reloptions)::text, '[]') AS options,
       pg_relation_size(ic.oid) AS actual_bytes,
       CASE WHEN tc.reltuples >= 0 THEN tc.reltuples END AS table_rows,
       CASE WHEN ic.reltuples >= 0 THEN ic.reltuples END AS index_rows,
       i.indpred IS NOT NULL AS partial,
       s.null_frac,
       s.avg_width,
       i.indisvalid AS valid,
       ic.oid::bigint AS index_oid,
       tc.oid::bigint AS table_oid,
       pg_get_indexdef(ic.oid) AS definition,
       EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = tc.oid) AS build_in_progress
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = i.indkey[0] AND i.indkey[0] <> 0
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = tc.relname AND s.attname = a.attname
                    AND NOT s.inherited
WHERE am.amname IN ('hnsw', 'ivfflat')
ORDER BY n.nspname, tc.relname, ic.relname;
