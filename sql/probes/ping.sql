-- Whether a database answers at all: the admin health checks of the state database and each
-- target. No params. Returns: one row, 1.
SELECT 1;
