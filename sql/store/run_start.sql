-- Records the start of a run. Params: job, kind, target, trigger, dry_run, scheduled_for, started_at, instance_id, owner_key.
-- Returns: id. A second insert of the same scheduled fire violates job_run_fire_once.
INSERT INTO job_run (job, kind, target, trigger, dry_run, scheduled_for, started_at, status, instance_id, owner_key)
VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)
RETURNING id;
