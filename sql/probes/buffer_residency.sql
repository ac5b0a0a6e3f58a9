-- How much of each relation's main fork is in shared_buffers, in one pass over pg_buffercache
-- (a row per buffer: keep it to one statement per run). Params: relation oids (bigint[]).
-- Returns: oid, resident_bytes.
SELECT r.oid, count(b.bufferid) * current_setting('block_size')::bigint AS resident_bytes
FROM unnest(?::bigint[]) AS r(oid)
LEFT JOIN pg_buffercache b
       ON b.relfilenode = pg_relation_filenode(r.oid::oid) AND b.relforknumber = 0
      AND b.reldatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
GROUP BY r.oid;
