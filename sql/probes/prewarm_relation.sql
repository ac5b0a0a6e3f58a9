-- Reads one relation's main fork into shared_buffers. Params: relation oid. Returns: blocks loaded.
SELECT pg_prewarm(?::bigint::oid::regclass, 'buffer') AS blocks;
