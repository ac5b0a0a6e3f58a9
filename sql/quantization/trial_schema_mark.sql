-- Whether the quantization-trial's scratch schema exists, and its comment (the mark that says a
-- run of ours made it). Params: schema name. Returns: mark (null when the schema has no comment);
-- no row when there is no such schema.
SELECT obj_description(n.oid, 'pg_namespace') AS mark
FROM pg_namespace n
WHERE n.nspname = ?;
