-- Whether the daemon's role may read and update each named table (the tiering job's tables).
-- Params: text[] of table names as the job files write them (schema.table, or table in public);
-- each part is quoted here, so a name is only ever a name.
-- Returns: table_name, found (the table exists), can_update (SELECT and UPDATE; null when not found).
SELECT t AS table_name,
       c.oid IS NOT NULL AS found,
       CASE WHEN c.oid IS NOT NULL THEN has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'UPDATE') END
         AS can_update
FROM unnest(?::text[]) AS t
LEFT JOIN pg_class c ON c.oid = to_regclass(
  CASE WHEN position('.' IN t) > 0
       THEN quote_ident(split_part(t, '.', 1)) || '.' || quote_ident(substr(t, position('.' IN t) + 1))
       ELSE 'public.' || quote_ident(t) END);
