-- When the counters were last reset and how many entries were evicted (PostgreSQL 14+). No params.
-- Returns: stats_reset, dealloc.
SELECT stats_reset, dealloc FROM pg_stat_statements_info;
