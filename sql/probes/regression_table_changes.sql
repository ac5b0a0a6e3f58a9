-- How much a table has changed, to decide whether cached ground truth is still good. Counters are
-- cumulative (since the statistics were last reset). Params: table oid (bigint).
-- Returns: changes (rows inserted + updated + deleted), live_rows (estimate); no row before the
-- table's first statistics.
SELECT n_tup_ins + n_tup_upd + n_tup_del AS changes, n_live_tup AS live_rows
FROM pg_stat_user_tables
WHERE relid = ?::bigint::oid;
