-- A lock timeout for the current transaction only (milliseconds, as text): the rename of two
-- indexes in one short transaction waits no longer than this for its locks.
SELECT set_config('lock_timeout', ?, true);
