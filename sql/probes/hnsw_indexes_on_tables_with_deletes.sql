-- HNSW indexes on tables that have had deletes or updates since their statistics were reset: the
-- indexes a defect of HNSW vacuuming may have damaged silently (advisories with silentDamage),
-- to rebuild once the library is fixed. No params. Returns: schema_name, index_name, table_name.
SELECT n.nspname AS schema_name, ic.relname AS index_name, t.relname AS table_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'hnsw'
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_stat_user_tables s ON s.relid = i.indrelid
WHERE s.n_tup_del + s.n_tup_upd > 0
ORDER BY n.nspname, ic.relname;
