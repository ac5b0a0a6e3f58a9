-- Live and dead tuples since the last vacuum of every table with an HNSW index (the statistics
-- collector's counts): a large dead share means the next VACUUM repairs the graph around each
-- deleted element, which after mass deletes takes far longer than a rebuild. With them, the
-- table's vacuums (manual and auto) and, on PostgreSQL 18 and later, the time they took in all
-- (total_vacuum_time + total_autovacuum_time, milliseconds; read through to_jsonb so the statement
-- runs on older servers too, where it is null). No params.
-- Returns: table_oid, live, dead, vacuums, vacuum_ms.
SELECT s.relid AS table_oid, s.n_live_tup AS live, s.n_dead_tup AS dead,
       s.vacuum_count + s.autovacuum_count AS vacuums,
       (to_jsonb(s) ->> 'total_vacuum_time')::float8
         + (to_jsonb(s) ->> 'total_autovacuum_time')::float8 AS vacuum_ms
FROM pg_stat_all_tables s
WHERE s.relid IN (
  SELECT x.indrelid
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_am am ON am.oid = i.relam
  WHERE am.amname = 'hnsw');
