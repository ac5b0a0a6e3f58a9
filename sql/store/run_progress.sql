-- Publishes a running run's progress. Params: progress (json text), id.
UPDATE job_run SET progress = ?::jsonb WHERE id = ? AND status = 'running';
