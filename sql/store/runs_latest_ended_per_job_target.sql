-- The latest ended run of every job on every target (Prometheus: last run end and success).
-- No params.
SELECT DISTINCT ON (job, target) job, kind, target, ended_at, status
FROM job_run
WHERE ended_at IS NOT NULL
ORDER BY job, target, ended_at DESC, id DESC;
