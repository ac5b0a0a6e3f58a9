-- The previous slow-queries run's baseline for a target. Params: target.
-- Returns: taken_at, postmaster_start, stats_reset, dealloc.
SELECT taken_at, postmaster_start, stats_reset, dealloc FROM statement_baseline WHERE target = ?;
