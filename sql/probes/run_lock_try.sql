-- Takes the session-level advisory lock that makes one run of a job per target at a time,
-- across every daemon instance. Params: lock class, job name. Returns: acquired (bool).
SELECT pg_try_advisory_lock(?, hashtext(?)) AS acquired;
