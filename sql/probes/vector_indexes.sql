-- Inventory of vector indexes (pgvector hnsw/ivfflat, pgvectorscale diskann) in this database.
-- No params. Sizes come from pg_relation_size (main fork, no locks beyond AccessShare on the
-- catalogs); rows is the planner's estimate (reltuples, -1 before the first ANALYZE -> null).
-- Returns: schema_name, index_name, table_name, column_name (or the expression), column_type,
--          type_name, dimensions (atttypmod, null when unconstrained), method, opclass,
--          options (json array of 'key=value'), size_bytes, table_bytes, rows, valid,
--          build_in_progress (a CREATE INDEX [CONCURRENTLY] / REINDEX is running on it),
--          can_maintain (owner or member of the owner role: needed for REINDEX),
--          can_select (SELECT on the table: the regression job reads it, pg_prewarm needs it), definition.
SELECT n.nspname AS schema_name,
       ic.relname AS index_name,
       tc.relname AS table_name,
       coalesce(a.attname, pg_get_indexdef(ic.oid, 1, true)) AS column_name,
       coalesce(format_type(a.atttypid, a.atttypmod), 'expression') AS column_type,
       t.typname AS type_name,
       CASE WHEN a.atttypmod > 0 THEN a.atttypmod END AS dimensions,
       am.amname AS method,
       opc.opcname AS opclass,
       coalesce(array_to_json(ic.reloptions)::text, '[]') AS options,
       pg_relation_size(ic.oid) AS size_bytes,
       pg_relation_size(tc.oid) AS table_bytes,
       CASE WHEN tc.reltuples >= 0 THEN tc.reltuples::bigint END AS rows,
       i.indisvalid AS valid,
       EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = ic.oid) AS build_in_progress,
       pg_has_role(current_user, tc.relowner, 'USAGE') AS can_maintain,
       has_table_privilege(tc.oid, 'SELECT') AS can_select,
       pg_get_indexdef(ic.oid) AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_opclass opc ON opc.oid = i.indclass[0]
LEFT JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = i.indkey[0] AND i.indkey[0] <> 0
LEFT JOIN pg_type t ON t.oid = a.atttypid
WHERE am.amname IN ('hnsw', 'ivfflat', 'diskann')
ORDER BY n.nspname, tc.relname, ic.relname;
