-- Resolved findings older than the run retention, a batch at a time (short locks on a big table).
-- Params: resolved before, batch size.
DELETE FROM finding
WHERE id IN (
  SELECT id FROM finding WHERE resolved_at < ? ORDER BY id LIMIT ?
);
