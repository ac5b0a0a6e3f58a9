-- What the health job saw of a reachable target. Params: target, observed_at, server_version,
-- server_version_num, in_recovery, pgvector_version, pgvector_available, extensions (json text).
INSERT INTO target_snapshot AS s (target, observed_at, reachable, error, server_version, server_version_num,
                                  in_recovery, pgvector_version, pgvector_available, extensions, last_reachable_at)
VALUES (?, ?, true, NULL, ?, ?, ?, ?, ?, ?::jsonb, ?)
ON CONFLICT (target) DO UPDATE SET
  observed_at = EXCLUDED.observed_at, reachable = true, error = NULL,
  server_version = EXCLUDED.server_version, server_version_num = EXCLUDED.server_version_num,
  in_recovery = EXCLUDED.in_recovery, pgvector_version = EXCLUDED.pgvector_version,
  pgvector_available = EXCLUDED.pgvector_available, extensions = EXCLUDED.extensions,
  last_reachable_at = EXCLUDED.last_reachable_at;
