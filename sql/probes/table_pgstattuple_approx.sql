-- Measured free and dead space of the largest tables (pgstattuple_approx reads the visibility
-- map and the pages not all-visible). Capped per run: it reads table pages.
-- Params: all_tables (bool), limit. Returns: schema_name, table_name, table_len,
--          approx_free_space, dead_tuple_len, dead_tuple_count.
SELECT n.nspname AS schema_name, c.relname AS table_name, p.table_len, p.approx_free_space,
       p.dead_tuple_len, p.dead_tuple_count
FROM (
  SELECT c.oid FROM pg_class c
  WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
    AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    AND (?::boolean OR EXISTS (
      SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND t.typname IN ('vector', 'halfvec', 'sparsevec')))
  ORDER BY pg_table_size(c.oid) DESC
  LIMIT ?) x
JOIN pg_class c ON c.oid = x.oid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pgstattuple_approx(c.oid) p;
