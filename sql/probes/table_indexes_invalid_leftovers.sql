-- Invalid leftovers of REINDEX CONCURRENTLY on one table with no build running on it (safe to
-- drop). Params: table oid. Returns: schema_name, index_name.
SELECT n.nspname AS schema_name, ic.relname AS index_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE i.indrelid = ?::bigint::oid AND NOT i.indisvalid AND ic.relname ~ '_cc(new|old)[0-9]*$'
  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = i.indrelid);
