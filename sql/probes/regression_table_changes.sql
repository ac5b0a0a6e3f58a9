-- How much a table has changed, to decide whether cached ground truth is still good. Counters are
-- cumulative (since the statistics were last reset). Params: table oid (bigint).
-- Returns: changes (rows inserted + updated + deleted, 0 before the table's first statistics),
-- live_rows (the planner's estimate, reltuples: n_live_tup can count a bulk load twice when its
-- statistics arrive after the ANALYZE that already saw it).
SELECT coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0) AS changes,
       greatest(c.reltuples, 0)::bigint AS live_rows
FROM pg_class c
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.oid = ?::bigint::oid;
