-- The buffer budget and whether the server restarted: shared_buffers in bytes and the
-- postmaster's start time. No params. Returns: shared_buffers_bytes, postmaster_start.
SELECT pg_size_bytes(current_setting('shared_buffers')) AS shared_buffers_bytes,
       pg_postmaster_start_time() AS postmaster_start;
