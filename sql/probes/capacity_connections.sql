-- Client sessions against what the server allows them: max_connections less the slots reserved for
-- superusers (and, on 16+, for roles with pg_use_reserved_connections). Params: none.
SELECT current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int
         + coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0) AS reserved,
       count(*) FILTER (WHERE backend_type = 'client backend') AS sessions,
       count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'active') AS active,
       count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'idle') AS idle,
       count(*) FILTER (WHERE backend_type = 'client backend'
                        AND state IN ('idle in transaction', 'idle in transaction (aborted)')) AS idle_in_transaction
FROM pg_stat_activity;
