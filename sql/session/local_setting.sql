-- Sets one setting for the current transaction only (hnsw.ef_search, ivfflat.probes, their
-- iterative_scan, enable_indexscan), so the session's own value comes back at its end or at a
-- rollback to a savepoint. Params: setting name, value (text). Returns: the new value.
SELECT set_config(?, ?, true);
