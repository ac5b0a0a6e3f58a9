-- What the quantization-trial checks before it writes anything: whether the role may create a
-- schema in this database, and the maintenance_work_mem a build gets by default.
-- Returns: can_create (bool), maintenance_work_mem_bytes.
SELECT has_database_privilege(current_database(), 'CREATE') AS can_create,
       pg_size_bytes(current_setting('maintenance_work_mem')) AS maintenance_work_mem_bytes;
