-- Cumulative counters of this database's statements. A template: {total_time}, {max_time},
-- {toplevel} and {stats_since} are replaced by this server's column expressions (StatementColumns),
-- chosen from a fixed set. No params. Query text capped at 2000 characters.
-- Returns: userid, dbid, queryid, toplevel, calls, total_ms, max_ms, rows, shared_blks_read,
-- shared_blks_hit, shared_blks_dirtied, stats_since, query.
SELECT s.userid::bigint AS userid, s.dbid::bigint AS dbid, s.queryid, {toplevel} AS toplevel, s.calls,
       {total_time} AS total_ms, {max_time} AS max_ms, s.rows, s.shared_blks_read, s.shared_blks_hit,
       s.shared_blks_dirtied, {stats_since} AS stats_since, left(s.query, 2000) AS query
FROM pg_stat_statements s
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND s.queryid IS NOT NULL;
