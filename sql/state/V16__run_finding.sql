-- Every run that raised or confirmed a finding, not only its first and its latest: a bloat run in
-- the middle of a finding's life lists it too (GET /api/runs/{id}, the run page). A pruned run or
-- finding takes its rows with it.
CREATE TABLE run_finding (
  run_id     bigint NOT NULL REFERENCES job_run (id) ON DELETE CASCADE,
  finding_id bigint NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  PRIMARY KEY (run_id, finding_id)
);
CREATE INDEX run_finding_finding ON run_finding (finding_id);

-- runs before this table: what the finding rows still tell (the first and the latest run)
INSERT INTO run_finding (run_id, finding_id)
SELECT first_run_id, id FROM finding WHERE first_run_id IS NOT NULL
UNION
SELECT last_run_id, id FROM finding WHERE last_run_id IS NOT NULL;
