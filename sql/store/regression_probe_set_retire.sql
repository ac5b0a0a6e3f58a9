-- Retires the probe set in use for an index and label (its series stays). Params: retired_at,
-- target, index_name, label.
UPDATE regression_probe_set SET retired_at = ?
WHERE target = ? AND index_name = ? AND label = ? AND retired_at IS NULL;
