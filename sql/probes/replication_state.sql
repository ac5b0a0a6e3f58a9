-- WAL position and each replica's replay lag, to report what a rebuild's WAL did to replicas.
-- No params. Returns: wal_lsn (text), replicas (json array of {name, state, lag_bytes, replay_lag}).
SELECT pg_current_wal_lsn()::text AS wal_lsn,
       coalesce((SELECT json_agg(json_build_object('name', r.application_name, 'state', r.state,
                   'lagBytes', pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn),
                   'replayLag', r.replay_lag::text))
                 FROM pg_stat_replication r), '[]')::text AS replicas;
