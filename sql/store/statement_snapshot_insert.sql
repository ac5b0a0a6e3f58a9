-- Stores a snapshot in one statement. Params: target, taken_at, then arrays (one element per
-- entry): userid, dbid, queryid, toplevel, calls, total_ms, max_ms, rows, shared_blks_read,
-- shared_blks_hit, shared_blks_dirtied, stats_since, query.
INSERT INTO statement_snapshot (target, taken_at, userid, dbid, queryid, toplevel, calls, total_ms, max_ms, rows,
                                shared_blks_read, shared_blks_hit, shared_blks_dirtied, stats_since, query)
SELECT ?, ?, u.* FROM unnest(?::int8[], ?::int8[], ?::int8[], ?::bool[], ?::int8[], ?::float8[], ?::float8[],
                             ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::text[]::timestamptz[], ?::text[])
  AS u(userid, dbid, queryid, toplevel, calls, total_ms, max_ms, rows, shared_blks_read, shared_blks_hit,
       shared_blks_dirtied, stats_since, query);
