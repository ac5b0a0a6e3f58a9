-- The memory settings the capacity job weighs vector indexes against, in bytes. Params: none.
SELECT pg_size_bytes(current_setting('maintenance_work_mem')) AS maintenance_work_mem,
       (SELECT setting::bigint * pg_size_bytes(unit) FROM pg_settings
        WHERE name = 'shared_buffers') AS shared_buffers,
       (SELECT setting::bigint * pg_size_bytes(unit) FROM pg_settings
        WHERE name = 'effective_cache_size') AS effective_cache_size;
