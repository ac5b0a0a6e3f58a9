-- Measured leaf density of the largest B-tree indexes of vector tables (pgstatindex reads the
-- whole index: capped per run). Params: limit. Returns: schema_name, index_name, table_name,
-- actual_bytes, avg_leaf_density (percent), fillfactor.
SELECT n.nspname AS schema_name, ic.relname AS index_name, tc.relname AS table_name,
       pg_relation_size(ic.oid) AS actual_bytes, p.avg_leaf_density,
       coalesce((SELECT o.option_value::int FROM pg_options_to_table(ic.reloptions) o
                 WHERE o.option_name = 'fillfactor'), 90) AS fillfactor
FROM (
  SELECT i.indexrelid AS oid
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
  WHERE i.indisvalid
    AND EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = i.indrelid AND a.attnum > 0 AND NOT a.attisdropped
                  AND t.typname IN ('vector', 'halfvec', 'sparsevec'))
  ORDER BY pg_relation_size(i.indexrelid) DESC
  LIMIT ?) x
JOIN pg_index i ON i.indexrelid = x.oid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
CROSS JOIN LATERAL pgstatindex(ic.oid::regclass) p;
