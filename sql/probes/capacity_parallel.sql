-- The worker settings a parallel index build draws on, and the installed pgvector. Params: none.
SELECT current_setting('max_parallel_maintenance_workers')::int AS max_parallel_maintenance_workers,
       current_setting('max_parallel_workers')::int AS max_parallel_workers,
       current_setting('max_worker_processes')::int AS max_worker_processes,
       (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector;
