-- Statements running longer than a threshold, and sessions idle in a transaction for longer
-- than it while holding a lock on a table with a vector column. Our own sessions excluded.
-- Params: threshold seconds, threshold seconds. Returns: pid, usename, state, seconds, query
-- (capped), wait_event_type, vector_tables (names of locked vector tables, idle ones only).
SELECT a.pid, a.usename::text AS usename, a.state,
       extract(epoch FROM now() - CASE WHEN a.state = 'active' THEN a.query_start ELSE a.state_change END)::bigint
         AS seconds,
       left(a.query, 1000) AS query, a.wait_event_type,
       (SELECT string_agg(DISTINCT format('%s.%s', n.nspname, c.relname), ', ')
        FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE l.pid = a.pid AND l.granted
          AND EXISTS (SELECT 1 FROM pg_attribute at JOIN pg_type t ON t.oid = at.atttypid
                      WHERE at.attrelid = c.oid AND at.attnum > 0 AND NOT at.attisdropped
                        AND t.typname IN ('vector', 'halfvec', 'sparsevec'))) AS vector_tables
FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
  AND a.application_name <> 'pgvector-ops'
  AND ((a.state = 'active' AND a.query_start < now() - make_interval(secs => ?))
    OR (a.state IN ('idle in transaction', 'idle in transaction (aborted)')
        AND a.state_change < now() - make_interval(secs => ?)))
ORDER BY seconds DESC;
