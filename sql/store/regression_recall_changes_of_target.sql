-- Points of a target's live probe sets whose recall moved from the point before by at least a step
-- (its "what changed" timeline). Params: target, since, step. Returns: index_name, label,
-- measured_at, run_id, recall, earlier_recall, settings.
SELECT index_name, label, measured_at, run_id, recall, earlier_recall, settings::text AS settings
FROM (
  SELECT s.index_name, s.label, p.measured_at, p.run_id, p.recall, p.settings,
         lag(p.recall) OVER (PARTITION BY s.id ORDER BY p.measured_at, p.id) AS earlier_recall
  FROM regression_probe_set s
  JOIN regression_point p ON p.probe_set_id = s.id
  WHERE s.target = ? AND s.retired_at IS NULL
) points
WHERE measured_at >= ? AND earlier_recall IS NOT NULL AND abs(recall - earlier_recall) >= ?
ORDER BY measured_at DESC;
