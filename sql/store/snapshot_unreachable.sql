-- A target the health job could not reach; keeps the versions last seen. Params: target, observed_at, error.
INSERT INTO target_snapshot AS s (target, observed_at, reachable, error)
VALUES (?, ?, false, ?)
ON CONFLICT (target) DO UPDATE SET observed_at = EXCLUDED.observed_at, reachable = false, error = EXCLUDED.error;
