-- Samples rows of a vector column as query vectors, with the row each came from. A template:
-- {table} (quoted), {column} (quoted column or expression), {filter} (the probe set's condition,
-- "true" without one). Params: how many. Returns: tid, vector (the column type's text form).
SELECT ctid::text AS tid, {column}::text AS vector
FROM {table}
WHERE {column} IS NOT NULL AND (
  {filter}
)
ORDER BY random()
LIMIT ?;
