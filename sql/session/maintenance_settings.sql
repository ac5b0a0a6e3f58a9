-- Settings of a session of its own that runs one maintenance statement (an index build, a drop, a
-- VACUUM): set for the whole session, which is closed afterwards rather than returned to the pool.
-- Params (text): lock_timeout ms, statement_timeout ms (0: none), maintenance_work_mem in kB or
-- NULL to keep the server's, max_parallel_maintenance_workers or NULL to keep the server's.
-- Returns: pid, the session's backend, for following the build in pg_stat_progress_create_index.
SELECT set_config('lock_timeout', ?, false),
       set_config('statement_timeout', ?, false),
       set_config('maintenance_work_mem', coalesce(? || 'kB', current_setting('maintenance_work_mem')), false),
       set_config('max_parallel_maintenance_workers',
                  coalesce(?, current_setting('max_parallel_maintenance_workers')), false),
       pg_backend_pid() AS pid;
