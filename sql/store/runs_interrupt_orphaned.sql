-- Marks runs left 'running' by a process that is gone as interrupted. A live process holds a
-- session advisory lock (classid = lock class, objid = owner_key) on this database; a dead
-- one's session and lock are gone. Params: ended_at, lock class. Returns: id, job, target.
UPDATE job_run r
SET status = 'interrupted', ended_at = ?, error = 'the process running it stopped before the run ended'
WHERE r.status = 'running'
  AND NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = ?::bigint::oid AND l.objid = r.owner_key::bigint::oid AND l.objsubid = 2)
RETURNING r.id, r.job, r.target;
