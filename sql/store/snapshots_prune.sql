-- Drops a target's snapshots older than the retention, never the latest (the next run's baseline).
-- Params: target, older than, target, older than.
WITH statements AS (
  DELETE FROM statement_snapshot
  WHERE target = ? AND taken_at < ?
    AND taken_at <> (SELECT b.taken_at FROM statement_baseline b WHERE b.target = statement_snapshot.target)
  RETURNING 1)
DELETE FROM table_scan_snapshot
WHERE target = ? AND taken_at < ?
  AND taken_at <> (SELECT b.taken_at FROM statement_baseline b WHERE b.target = table_scan_snapshot.target);
