-- Records how a run ended. Params: status, ended_at, summary (json text), error, id.
UPDATE job_run SET status = ?, ended_at = ?, summary = ?::jsonb, error = ? WHERE id = ?;
