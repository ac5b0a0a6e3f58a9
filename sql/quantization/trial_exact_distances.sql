-- The exact k nearest distances of one query vector in the quantization-trial's sample: run before
-- any index exists there, so it is a scan of every row. A template: {sample} (the quoted scratch
-- table), {operator} (the index's distance operator), {type} (the column's type with its
-- dimensions). Params: query vector (text), k. Returns: distance, ascending.
SELECT v {operator} ?::{type} AS distance FROM {sample} ORDER BY 1 LIMIT ?;
