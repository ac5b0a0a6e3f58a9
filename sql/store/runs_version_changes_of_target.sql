-- The runs on one target whose summary reports the server's and pgvector's versions (health's)
-- where either differs from the run before: the upgrades (and downgrades) the timeline shows.
-- Only the period and the last such run before it are read (job_run_target_started), so each change
-- has its predecessor however many runs are kept.
-- Params: target, target, since, since, since. Returns: run id, started_at, server, pgvector, and
-- the earlier ones.
SELECT id, started_at, server, pgvector, earlier_server, earlier_pgvector
FROM (
  SELECT id, started_at, summary ->> 'serverVersion' AS server, summary ->> 'pgvector' AS pgvector,
         lag(summary ->> 'serverVersion') OVER w AS earlier_server,
         lag(summary ->> 'pgvector') OVER w AS earlier_pgvector,
         lag(id) OVER w AS earlier_id
  FROM job_run
  WHERE target = ? AND status = 'succeeded' AND summary ->> 'serverVersion' IS NOT NULL
    AND started_at >= coalesce(
      (SELECT max(r.started_at) FROM job_run r
       WHERE r.target = ? AND r.status = 'succeeded' AND r.summary ->> 'serverVersion' IS NOT NULL
         AND r.started_at < ?), ?)
  WINDOW w AS (ORDER BY started_at, id)
) runs
WHERE started_at >= ? AND earlier_id IS NOT NULL
  AND (server IS DISTINCT FROM earlier_server OR pgvector IS DISTINCT FROM earlier_pgvector)
ORDER BY started_at DESC;
