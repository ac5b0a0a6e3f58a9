-- Scan counters of tables that have a vector index (hnsw, ivfflat, diskann), with their size.
-- No params. Returns: schema_name, table_name, seq_scan, idx_scan, table_bytes, live_tuples.
SELECT n.nspname AS schema_name, c.relname AS table_name, s.seq_scan, coalesce(s.idx_scan, 0) AS idx_scan,
       pg_table_size(c.oid) AS table_bytes, s.n_live_tup AS live_tuples
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
              WHERE i.indrelid = c.oid AND am.amname IN ('hnsw', 'ivfflat', 'diskann'))
ORDER BY n.nspname, c.relname;
