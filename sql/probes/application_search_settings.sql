-- pgvector's search settings as an application's new session in this database gets them, read
-- fresh (a pooled session keeps the values it was opened with): a setting for the database and
-- the application's role, else for the role, else for the database, else for all roles
-- (pg_db_role_setting: ALTER ROLE / ALTER DATABASE ... SET), else the server's (postgresql.conf,
-- ALTER SYSTEM). Only settings this server defines (pgvector's library loaded in this session).
-- Params: the application's role name, or NULL for the database's defaults.
-- Returns: name, value, level (database and role | role | database | all roles | server |
--          server default: this session's own value came from a role or database setting, which
--          hides the file's value, so pgvector's default is assumed), role_exists.
WITH wanted(name) AS (
  VALUES ('hnsw.ef_search'), ('hnsw.iterative_scan'), ('hnsw.max_scan_tuples'),
         ('hnsw.scan_mem_multiplier'), ('ivfflat.probes'), ('ivfflat.iterative_scan'),
         ('ivfflat.max_probes')),
app AS (SELECT r.oid FROM pg_roles r WHERE r.rolname = ?::text),
here AS (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()),
overrides AS (
  SELECT split_part(c, '=', 1) AS name,
         substr(c, strpos(c, '=') + 1) AS value,
         CASE WHEN s.setdatabase <> 0 AND s.setrole <> 0 THEN 1 WHEN s.setrole <> 0 THEN 2
              WHEN s.setdatabase <> 0 THEN 3 ELSE 4 END AS rank
  FROM pg_db_role_setting s
  CROSS JOIN LATERAL unnest(s.setconfig) c
  WHERE (s.setdatabase = (SELECT oid FROM here) OR s.setdatabase = 0)
    AND (s.setrole = (SELECT oid FROM app) OR s.setrole = 0))
SELECT w.name,
       coalesce(o.value,
                CASE WHEN p.source IN ('database', 'user', 'database user') THEN p.boot_val
                     ELSE p.reset_val END) AS value,
       CASE o.rank WHEN 1 THEN 'database and role' WHEN 2 THEN 'role' WHEN 3 THEN 'database'
                   WHEN 4 THEN 'all roles'
            ELSE CASE WHEN p.source IN ('database', 'user', 'database user') THEN 'server default'
                      ELSE 'server' END END AS level,
       EXISTS (SELECT 1 FROM app) AS role_exists
FROM wanted w
JOIN pg_settings p ON p.name = w.name
LEFT JOIN LATERAL (SELECT ov.value, ov.rank FROM overrides ov WHERE ov.name = w.name
                   ORDER BY ov.rank LIMIT 1) o ON true
ORDER BY w.name;
