-- Who and what the target is. No params.
-- Returns: server_version (text), server_version_num (int), in_recovery (bool), database, role,
--          postmaster_start_time (timestamptz).
SELECT current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       pg_is_in_recovery() AS in_recovery,
       current_database() AS database,
       current_user AS role,
       pg_postmaster_start_time() AS postmaster_start_time;
