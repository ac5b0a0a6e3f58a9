-- Progress of the index build run by one backend. Params: pid.
-- Returns: phase, blocks_total, blocks_done, tuples_total, tuples_done, lockers_total, lockers_done.
-- HNSW leaves tuples_total at 0: its progress is in blocks.
SELECT phase, blocks_total, blocks_done, tuples_total, tuples_done, lockers_total, lockers_done
FROM pg_stat_progress_create_index WHERE pid = ?;
