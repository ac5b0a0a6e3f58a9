-- Query vectors for the quantization-trial when neither the job nor the regression job gives any:
-- rows of the table outside the sample (a row in it would find itself), from other pages.
-- A template: {table} (quoted, qualified), {column} (quoted), {sample} (the quoted scratch table).
-- Params: percent of pages, limit. Returns: vector (text).
SELECT {column}::text AS vector
FROM {table} TABLESAMPLE SYSTEM (?) REPEATABLE (7)
WHERE {column} IS NOT NULL
  AND ctid::text NOT IN (SELECT source_tid FROM {sample})
LIMIT ?;
