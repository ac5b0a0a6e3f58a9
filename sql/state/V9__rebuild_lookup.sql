-- The dashboard shows each index's last rebuild and marks rebuilds on its recall chart: find the
-- runs of index-rebuild jobs of one target without reading every health run ever recorded.
CREATE INDEX job_run_kind_target ON job_run (kind, target, ended_at DESC);
