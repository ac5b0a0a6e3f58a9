-- A probe set's query vectors in order. Params: probe_set_id. Returns: vector, source_tid.
SELECT vector, source_tid FROM regression_probe WHERE probe_set_id = ? ORDER BY ordinal;
