-- Records this run as the baseline for the next. Params: target, taken_at, postmaster_start, stats_reset, dealloc.
INSERT INTO statement_baseline (target, taken_at, postmaster_start, stats_reset, dealloc)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (target) DO UPDATE SET taken_at = EXCLUDED.taken_at, postmaster_start = EXCLUDED.postmaster_start,
  stats_reset = EXCLUDED.stats_reset, dealloc = EXCLUDED.dealloc;
