-- Statistical size estimate of the B-tree indexes of vector tables (the well-known approach of
-- check_postgres/ioguix, simplified): a fresh index holds its rows in leaf pages filled to
-- fillfactor, each entry MAXALIGN(8-byte tuple header + key widths from pg_stats) + a 4-byte
-- line pointer. No params. Returns: schema_name, index_name, table_name, actual_bytes, index_rows,
-- expected_bytes.
WITH idx AS MATERIALIZED (
  SELECT n.nspname AS schema_name, ic.relname AS index_name, tc.relname AS table_name, ic.oid AS index_oid,
         tc.oid AS table_oid, pg_relation_size(ic.oid) AS actual_bytes, greatest(ic.reltuples, 0) AS index_rows,
         coalesce((SELECT o.option_value::int FROM pg_options_to_table(ic.reloptions) o
                   WHERE o.option_name = 'fillfactor'), 90) AS fillfactor,
         i.indkey::int2[] AS keys
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = ic.relnamespace
  JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
  WHERE i.indisvalid
    AND EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = tc.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND t.typname IN ('vector', 'halfvec', 'sparsevec'))
), stats AS MATERIALIZED (
  -- read the pg_stats view once: joined per key column it is evaluated once per index (quadratic)
  SELECT s.schemaname, s.tablename, s.attname, s.avg_width
  FROM pg_stats s
  WHERE NOT s.inherited AND (s.schemaname, s.tablename) IN (SELECT schema_name, table_name FROM idx)
), widths AS (
  SELECT idx.index_oid, sum(coalesce(s.avg_width, 8)) AS key_width
  FROM idx
  CROSS JOIN LATERAL unnest(idx.keys) AS k(attnum)
  JOIN pg_attribute a ON a.attrelid = idx.table_oid AND a.attnum = k.attnum
  LEFT JOIN stats s ON s.schemaname = idx.schema_name AND s.tablename = idx.table_name AND s.attname = a.attname
  GROUP BY idx.index_oid
)
SELECT idx.schema_name, idx.index_name, idx.table_name, idx.actual_bytes, idx.index_rows,
       ((1 + ceil(idx.index_rows / greatest(1, floor((8192 - 24 - 16) * idx.fillfactor / 100.0
              / ((ceil((8 + w.key_width) / 8.0) * 8) + 4))))) * 8192)::bigint AS expected_bytes
FROM idx JOIN widths w ON w.index_oid = idx.index_oid
ORDER BY idx.schema_name, idx.index_name;
