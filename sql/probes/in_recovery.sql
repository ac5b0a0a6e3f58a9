-- Whether the target is a standby; write jobs skip standbys. No params. Returns: in_recovery.
SELECT pg_is_in_recovery() AS in_recovery;
