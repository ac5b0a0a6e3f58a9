-- Every target's latest snapshot. No params.
SELECT target, observed_at, reachable, error, server_version, server_version_num, in_recovery,
       pgvector_version, pgvector_available, extensions::text AS extensions, last_reachable_at
FROM target_snapshot;
