-- What the quantization-trial checks on the server it builds on (the job's target or its lab
-- target) before it writes anything: whether the role may create a schema in this database, the
-- maintenance_work_mem a build gets by default, whether the server is a standby, and pgvector's
-- version in this database (null when the extension is not created).
-- Returns: can_create (bool), maintenance_work_mem_bytes, in_recovery (bool), pgvector_version.
SELECT has_database_privilege(current_database(), 'CREATE') AS can_create,
       pg_size_bytes(current_setting('maintenance_work_mem')) AS maintenance_work_mem_bytes,
       pg_is_in_recovery() AS in_recovery,
       (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector_version;
