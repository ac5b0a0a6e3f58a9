-- Sessions of this database whose transaction or snapshot is older than a threshold: REINDEX
-- CONCURRENTLY waits for them ("waiting for old snapshots"), so a rebuild is postponed while one
-- exists. Our own sessions excluded. Params: seconds. Returns: pid, state, xact_seconds, query.
SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start)::bigint AS xact_seconds, left(a.query, 200) AS query
FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.application_name <> 'pgvector-ops'
  AND a.xact_start < now() - make_interval(secs => ?)
  AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL OR a.state LIKE 'idle in transaction%')
ORDER BY a.xact_start;
