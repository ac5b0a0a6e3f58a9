-- Client sessions idle in a transaction, named: they hold a connection slot (and their locks and
-- snapshot) without working. Our own sessions excluded. Params: none.
SELECT pid, usename::text AS usename, coalesce(application_name, '') AS application_name,
       extract(epoch FROM now() - state_change)::bigint AS seconds
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
  AND state IN ('idle in transaction', 'idle in transaction (aborted)')
ORDER BY state_change
LIMIT 20;
