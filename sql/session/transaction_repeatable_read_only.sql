-- Makes the current transaction one snapshot that refuses writes: the regression job measures
-- recall and latency of every probe of a set against the same state of the table.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
