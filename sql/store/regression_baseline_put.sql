-- Pins a probe set's baseline to a point. Params: probe_set_id, point_id, reason, pinned_at.
INSERT INTO regression_baseline AS b (probe_set_id, point_id, reason, pinned_at)
VALUES (?, ?, ?, ?)
ON CONFLICT (probe_set_id) DO UPDATE
SET point_id = excluded.point_id, reason = excluded.reason, pinned_at = excluded.pinned_at;
