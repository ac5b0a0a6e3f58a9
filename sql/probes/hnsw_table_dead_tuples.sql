-- Live and dead tuples since the last vacuum of every table with an HNSW index (the statistics
-- collector's counts): a large dead share means the next VACUUM repairs the graph around each
-- deleted element, which after mass deletes takes far longer than a rebuild. No params.
-- Returns: table_oid, live, dead.
SELECT s.relid AS table_oid, s.n_live_tup AS live, s.n_dead_tup AS dead
FROM pg_stat_all_tables s
WHERE s.relid IN (
  SELECT x.indrelid
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_am am ON am.oid = i.relam
  WHERE am.amname = 'hnsw');
