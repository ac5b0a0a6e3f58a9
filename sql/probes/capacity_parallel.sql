-- The worker settings a parallel index build draws on, and pgvector's versions (the SQL objects'
-- extversion and the installed library's default_version). Params: none.
SELECT current_setting('max_parallel_maintenance_workers')::int AS max_parallel_maintenance_workers,
       current_setting('max_parallel_workers')::int AS max_parallel_workers,
       current_setting('max_worker_processes')::int AS max_worker_processes,
       (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS pgvector_library;
