-- The quantization-trial's sample: rows of the index's table copied into the scratch schema, from
-- pages TABLESAMPLE SYSTEM picks (cheap on a big table: it reads only those pages), each with its
-- source row's ctid (the probes are taken outside the sample) and a number for the copy.
-- A template: {sample} (the quoted scratch table), {table} (quoted, qualified), {column} (quoted),
-- {type} (the column's type with its dimensions), {percent} and {rows} (numbers). Returns nothing.
CREATE TABLE {sample} AS
SELECT (row_number() OVER ())::int AS id, source_tid, v
FROM (SELECT ctid::text AS source_tid, {column}::{type} AS v
      FROM {table} TABLESAMPLE SYSTEM ({percent})
      WHERE {column} IS NOT NULL
      LIMIT {rows}) picked;
