-- Makes the current transaction refuse writes: an operator's query in a sql-check job runs in one.
SET TRANSACTION READ ONLY;
