-- The quantization-trial's sample read on the job's target for a lab target: the rows
-- create_trial_sample would copy on one server (TABLESAMPLE SYSTEM pages, each row's ctid). LabCopy
-- sends them as COPY (...) TO STDOUT, in a read-only transaction, to the lab's sample table.
-- A template: {table} (quoted, qualified), {column} (quoted), {type} (the column's type with its
-- dimensions), {percent} and {rows} (numbers). Returns: id, source_tid, v.
SELECT (row_number() OVER ())::int AS id, source_tid, v
FROM (SELECT ctid::text AS source_tid, {column}::{type} AS v
      FROM {table} TABLESAMPLE SYSTEM ({percent})
      WHERE {column} IS NOT NULL
      LIMIT {rows}) picked;
