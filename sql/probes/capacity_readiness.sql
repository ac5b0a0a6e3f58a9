-- The production-readiness items the capacity job reports as info: pg_stat_statements preloaded,
-- SSL on, WAL archiving on and configured, random_page_cost. pg_stat_statements_loaded is NULL
-- when the role may not read shared_preload_libraries (pg_settings leaves it out); role names
-- the role for the GRANT that would let it. Params: none.
SELECT (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') ~ '(^|[ ,])pg_stat_statements($|[ ,])' AS pg_stat_statements_loaded,
       current_setting('ssl') = 'on' AS ssl_on,
       current_setting('archive_mode') <> 'off'
         AND (current_setting('archive_command') NOT IN ('', '(disabled)')
              OR coalesce(current_setting('archive_library', true), '') <> '') AS wal_archiving,
       current_setting('random_page_cost')::float8 AS random_page_cost,
       current_user AS role;
