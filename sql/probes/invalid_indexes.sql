-- Every invalid index, whether its name marks a leftover of REINDEX CONCURRENTLY (_ccnew, _ccold,
-- with an optional number), and whether any index build is running on its table (an index being
-- built is invalid too: never report or drop that one). No params.
-- Returns: schema_name, index_name, table_name, method, size_bytes, reindex_leftover, build_in_progress, table_oid.
SELECT n.nspname AS schema_name, ic.relname AS index_name, tc.relname AS table_name, am.amname AS method,
       pg_relation_size(ic.oid) AS size_bytes,
       ic.relname ~ '_cc(new|old)[0-9]*$' AS reindex_leftover,
       EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = tc.oid) AS build_in_progress,
       tc.oid::bigint AS table_oid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE NOT i.indisvalid
ORDER BY n.nspname, ic.relname;
