-- One run. Params: id.
SELECT id, job, kind, target, trigger, dry_run, scheduled_for, started_at, ended_at, status, summary::text AS summary, error, instance_id,
       progress::text AS progress
FROM job_run WHERE id = ?;
