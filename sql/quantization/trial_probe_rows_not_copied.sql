-- Query vectors for a quantization-trial on a lab target when neither the job nor the regression
-- job gives any: rows of the job's table outside the sample, which is on the lab target, so its
-- rows' ctids come as a parameter (a hashed NOT IN: the sample may hold 50,000).
-- A template: {table} (quoted, qualified), {column} (quoted).
-- Params: percent of pages, the sample's source ctids (text[]), limit. Returns: vector (text).
SELECT {column}::text AS vector
FROM {table} TABLESAMPLE SYSTEM (?) REPEATABLE (7)
WHERE {column} IS NOT NULL
  AND ctid::text NOT IN (SELECT unnest(?::text[]))
LIMIT ?;
