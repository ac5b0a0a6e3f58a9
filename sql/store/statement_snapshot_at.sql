-- One stored snapshot of pg_stat_statements. Params: target, taken_at.
SELECT userid, dbid, queryid, toplevel, calls, total_ms, max_ms, rows, shared_blks_read, stats_since, query
FROM statement_snapshot WHERE target = ? AND taken_at = ?;
