-- Dead tuples and autovacuum state of tables with a vector column (or every table). The counts
-- are the statistics collector's estimates. The autovacuum threshold is the table's own
-- (reloptions) or the server's: threshold + scale_factor * reltuples.
-- Params: all_tables (bool). Returns: schema_name, table_name, live_tuples, dead_tuples,
--          table_bytes, last_vacuum, autovacuum_threshold, autovacuum_enabled.
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       s.n_live_tup AS live_tuples,
       s.n_dead_tup AS dead_tuples,
       pg_table_size(c.oid) AS table_bytes,
       greatest(s.last_autovacuum, s.last_vacuum) AS last_vacuum,
       coalesce((SELECT o.option_value::float8 FROM pg_options_to_table(c.reloptions) o
                 WHERE o.option_name = 'autovacuum_vacuum_threshold'),
                current_setting('autovacuum_vacuum_threshold')::float8)
         + coalesce((SELECT o.option_value::float8 FROM pg_options_to_table(c.reloptions) o
                     WHERE o.option_name = 'autovacuum_vacuum_scale_factor'),
                    current_setting('autovacuum_vacuum_scale_factor')::float8) * greatest(c.reltuples, 0)
         AS autovacuum_threshold,
       coalesce((SELECT o.option_value::boolean FROM pg_options_to_table(c.reloptions) o
                 WHERE o.option_name = 'autovacuum_enabled'),
                current_setting('autovacuum')::boolean) AS autovacuum_enabled
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'm')
  AND (?::boolean OR EXISTS (
    SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      AND t.typname IN ('vector', 'halfvec', 'sparsevec')))
ORDER BY n.nspname, c.relname;
