-- Runs older than the retention, a batch at a time: never a running one, never one of a kind that
-- keeps its runs (JobKind.keepsRuns: index-rebuild's, as each index's last rebuild is shown for as
-- long as the index lives), never one a kept finding names. Params: started before, the kinds
-- whose runs are kept (text[]), batch size.
DELETE FROM job_run
WHERE id IN (
  SELECT r.id
  FROM job_run r
  WHERE r.started_at < ?
    AND r.status <> 'running'
    AND r.kind <> ALL (?)
    AND r.id NOT IN (
      SELECT first_run_id FROM finding WHERE first_run_id IS NOT NULL
      UNION
      SELECT last_run_id FROM finding WHERE last_run_id IS NOT NULL)
  ORDER BY r.id
  LIMIT ?
);
