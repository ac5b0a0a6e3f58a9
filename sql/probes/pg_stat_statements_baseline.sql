-- What decides whether counters can be compared with the previous run: the server start time,
-- whether the library is preloaded, and whether pg_stat_statements_info (14+) exists; the
-- database, for the fix an operator is told. preloaded is NULL when the role may not read
-- shared_preload_libraries (pg_settings leaves it out). No params.
-- Returns: postmaster_start, preloaded, has_info, database.
SELECT pg_postmaster_start_time() AS postmaster_start,
       'pg_stat_statements' = ANY (string_to_array(replace((SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'), ' ', ''), ','))
         AS preloaded,
       to_regclass('pg_stat_statements_info') IS NOT NULL AS has_info,
       current_database() AS database;
