-- A statement timeout for the current transaction only (milliseconds, as text), so a job's own
-- limit applies to its query and the session's setting comes back at the end of the transaction.
SELECT set_config('statement_timeout', ?, true);
