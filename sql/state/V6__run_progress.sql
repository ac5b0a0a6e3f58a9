-- Progress of a running run (e.g. an index build's phase and blocks), written while it runs so
-- GET /api/runs/{id} shows it from any instance of a cluster.
ALTER TABLE job_run ADD COLUMN progress jsonb;
