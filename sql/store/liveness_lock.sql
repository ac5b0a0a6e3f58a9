-- Held for the life of the process on a dedicated connection (see Liveness). Params: lock class, owner key.
SELECT pg_advisory_lock(?, ?);
