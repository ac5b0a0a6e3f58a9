-- Query vectors for the quantization-trial when the sample took every row of the table: rows of
-- the sample itself, spread over it (each finds itself among its neighbours, in every shape).
-- A template: {sample} (the quoted scratch table). Params: limit, limit again. Returns: vector.
SELECT v::text AS vector
FROM {sample}
WHERE id % greatest(1, (SELECT count(*) FROM {sample}) / ?) = 0
ORDER BY id
LIMIT ?;
