-- Rebuilds one index without blocking writes. Template: {index} is the quoted schema.name.
-- Outside a transaction block; on failure the original stays valid and a _ccnew is left behind.
REINDEX INDEX CONCURRENTLY {index};
