-- Server settings a rebuild plan depends on, and the database size (the only disk figure a
-- non-superuser can read). No params. Returns: max_parallel_maintenance_workers, max_worker_processes,
-- max_parallel_workers, maintenance_work_mem_bytes, database_bytes.
SELECT current_setting('max_parallel_maintenance_workers')::int AS max_parallel_maintenance_workers,
       current_setting('max_worker_processes')::int AS max_worker_processes,
       current_setting('max_parallel_workers')::int AS max_parallel_workers,
       pg_size_bytes(current_setting('maintenance_work_mem')) AS maintenance_work_mem_bytes,
       pg_database_size(current_database()) AS database_bytes;
