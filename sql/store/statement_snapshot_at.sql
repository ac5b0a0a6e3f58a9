-- One stored snapshot of pg_stat_statements. Params: target, taken_at.
SELECT userid, dbid, queryid, toplevel, calls, total_ms, max_ms, rows, shared_blks_read, shared_blks_hit,
       shared_blks_dirtied, stats_since, query
FROM statement_snapshot WHERE target = ? AND taken_at = ?;
