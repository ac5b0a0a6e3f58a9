-- The run of one job on one target that is running now, if any (a run-now while one runs is
-- refused with its id). Params: job, target.
SELECT id, job, kind, target, trigger, dry_run, scheduled_for, started_at, ended_at, status, summary::text AS summary, error, instance_id,
       progress::text AS progress
FROM job_run WHERE job = ? AND target = ? AND status = 'running' ORDER BY id DESC LIMIT 1;
