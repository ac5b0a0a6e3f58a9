-- Most recent runs of one job, newest first. Params: job, limit.
SELECT id, job, kind, target, trigger, dry_run, scheduled_for, started_at, ended_at, status, summary::text AS summary, error, instance_id,
       progress::text AS progress
FROM job_run WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?;
