-- The quantization-trial's scratch schema, with the comment that marks it as ours: a schema of that
-- name without the mark is never dropped. One statement, so the schema never exists unmarked (a
-- kill between two statements would leave a schema no run may drop).
-- A template: {schema} (quoted). Returns nothing.
DO $trial$
BEGIN
  CREATE SCHEMA {schema};
  COMMENT ON SCHEMA {schema} IS 'pgvector-ops quantization-trial scratch: dropped at the end of each run, or by the next run';
END
$trial$;
