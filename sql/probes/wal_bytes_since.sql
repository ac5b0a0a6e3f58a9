-- WAL written since a position. Params: earlier lsn (text). Returns: bytes.
SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint AS bytes;
