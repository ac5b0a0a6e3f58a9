-- The latest run of every job (any target). No params.
SELECT DISTINCT ON (job) id, job, kind, target, trigger, dry_run, scheduled_for, started_at, ended_at, status, summary::text AS summary, error, instance_id,
       progress::text AS progress
FROM job_run ORDER BY job, started_at DESC, id DESC;
