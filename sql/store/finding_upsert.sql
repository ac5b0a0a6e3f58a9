-- Refreshes an open finding with the same (job, target, object, kind), or opens a new one, and
-- notes that this run saw it (run_finding).
-- Params: severity, message, metrics, last_seen, last_run_id, job, target, object, kind,
--         then job, target, object, kind, severity, message, metrics, first_seen, last_seen, run id, run id,
--         then run id, run id.
WITH refreshed AS (
  UPDATE finding SET severity = ?, message = ?, metrics = ?::jsonb, last_seen = ?, last_run_id = ?,
                     times_seen = times_seen + 1
  WHERE job = ? AND target = ? AND object = ? AND kind = ? AND resolved_at IS NULL
  RETURNING id),
opened AS (
  INSERT INTO finding (job, target, object, kind, severity, message, metrics, first_seen, last_seen, first_run_id, last_run_id)
  SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?
  WHERE NOT EXISTS (SELECT 1 FROM refreshed)
  RETURNING id)
INSERT INTO run_finding (run_id, finding_id)
SELECT ?::bigint, id FROM refreshed
UNION ALL
SELECT ?::bigint, id FROM opened
ON CONFLICT DO NOTHING;
