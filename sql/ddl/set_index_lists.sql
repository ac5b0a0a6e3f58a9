-- Sets an IVFFlat index's lists option before it is rebuilt with REINDEX INDEX CONCURRENTLY (the
-- rebuild reads the option; the index in use keeps its own lists until the swap). ACCESS EXCLUSIVE
-- on the index for an instant, under the transaction's lock_timeout. Template: {index} is the
-- quoted schema.name, {lists} a whole number the job computed.
ALTER INDEX {index} SET (lists = {lists});
