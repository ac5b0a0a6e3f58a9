-- Relations worth keeping in shared_buffers: every vector index (hnsw, ivfflat, diskann),
-- optionally their tables, most used first (idx_scan). A partitioned index or table has no storage
-- of its own: its partitions are listed instead. Params: include tables (bool).
-- Returns: oid, schema_name, relation_name, kind (index|table), size_bytes, scans.
SELECT r.oid, r.schema_name, r.relation_name, r.kind, r.size_bytes, r.scans
FROM (
  SELECT ic.oid::bigint AS oid, n.nspname AS schema_name, ic.relname AS relation_name, 'index' AS kind,
         pg_relation_size(ic.oid) AS size_bytes, coalesce(s.idx_scan, 0) AS scans, i.indrelid AS table_oid
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = ic.relnamespace
  JOIN pg_am am ON am.oid = ic.relam AND am.amname IN ('hnsw', 'ivfflat', 'diskann')
  LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = ic.oid
  WHERE i.indisvalid AND ic.relkind = 'i'
  UNION ALL
  SELECT DISTINCT tc.oid::bigint, n.nspname, tc.relname, 'table', pg_relation_size(tc.oid),
         coalesce(st.seq_scan, 0) + coalesce(st.idx_scan, 0), tc.oid
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam AND am.amname IN ('hnsw', 'ivfflat', 'diskann')
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = tc.relnamespace
  LEFT JOIN pg_stat_user_tables st ON st.relid = tc.oid
  WHERE ?::boolean AND tc.relkind <> 'p'
) r
ORDER BY r.kind = 'table', r.scans DESC, r.size_bytes DESC;
