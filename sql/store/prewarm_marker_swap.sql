-- Records the target's start time; returns the previous one (none on the first run).
-- Params: target, postmaster_start. Returns: previous.
WITH old AS (SELECT postmaster_start FROM prewarm_marker WHERE target = ?)
INSERT INTO prewarm_marker AS m (target, postmaster_start) VALUES (?, ?)
ON CONFLICT (target) DO UPDATE SET postmaster_start = EXCLUDED.postmaster_start
RETURNING (SELECT postmaster_start FROM old) AS previous;
