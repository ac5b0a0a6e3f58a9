-- The runs of one target in time order: the target page's "what changed" reads the version
-- changes in a period and the last run before it, by this index, instead of every kept run.
CREATE INDEX job_run_target_started ON job_run (target, started_at);
