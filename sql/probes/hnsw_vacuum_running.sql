-- The HNSW indexes of tables a VACUUM (by hand or autovacuum) is working on in this database now,
-- with the vacuum's phase and how long its statement has run: pgvector's index vacuum after mass
-- deletes can take hours where a rebuild takes minutes (pgvector #450). No params.
-- Returns: pid, schema_name, table_name, index_name, index_bytes, phase, autovacuum, seconds.
SELECT p.pid, n.nspname AS schema_name, t.relname AS table_name, i.relname AS index_name,
       pg_relation_size(i.oid) AS index_bytes, p.phase, a.backend_type = 'autovacuum worker' AS autovacuum,
       extract(epoch FROM clock_timestamp() - a.query_start)::bigint AS seconds
FROM pg_stat_progress_vacuum p
JOIN pg_stat_activity a ON a.pid = p.pid
JOIN pg_class t ON t.oid = p.relid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_index x ON x.indrelid = t.oid
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_am am ON am.oid = i.relam
WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND am.amname = 'hnsw'
ORDER BY seconds DESC, n.nspname, i.relname;
