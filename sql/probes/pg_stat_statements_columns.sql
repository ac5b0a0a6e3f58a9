-- The columns pg_stat_statements has on this server (they differ by version). No params.
-- Returns: column_name. No rows when the extension is not installed in this database.
SELECT a.attname AS column_name
FROM pg_attribute a
WHERE a.attrelid = to_regclass('pg_stat_statements') AND a.attnum > 0 AND NOT a.attisdropped;
