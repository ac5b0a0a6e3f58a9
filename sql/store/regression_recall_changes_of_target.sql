-- Points of a target's live probe sets whose recall moved from the point before by at least a step
-- (its "what changed" timeline). Only the period and each set's last point before it are read
-- (regression_point_series), however long the history. Params: target, since, since, since, step.
-- Returns: index_name, label, measured_at, run_id, recall, earlier_recall, settings.
SELECT index_name, label, measured_at, run_id, recall, earlier_recall, settings::text AS settings
FROM (
  SELECT s.index_name, s.label, p.measured_at, p.run_id, p.recall, p.settings,
         lag(p.recall) OVER (PARTITION BY s.id ORDER BY p.measured_at, p.id) AS earlier_recall
  FROM regression_probe_set s
  JOIN regression_point p ON p.probe_set_id = s.id
  WHERE s.target = ? AND s.retired_at IS NULL
    AND p.measured_at >= coalesce(
      (SELECT max(q.measured_at) FROM regression_point q
       WHERE q.probe_set_id = s.id AND q.measured_at < ?), ?)
) points
WHERE measured_at >= ? AND earlier_recall IS NOT NULL AND abs(recall - earlier_recall) >= ?
ORDER BY measured_at DESC;
