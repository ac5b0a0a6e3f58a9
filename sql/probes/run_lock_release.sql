-- Releases the run lock taken by run_lock_try. Params: lock class, job name. Returns: released (bool).
SELECT pg_advisory_unlock(?, hashtext(?)) AS released;
