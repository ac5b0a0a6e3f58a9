-- One query of the quantization-trial through a shape's index: ordered by the index's key, as the
-- application would query that shape; the distances are the full vectors', so recall compares like
-- with like. A template: {sample}, {operator} and {type} (as trial_exact_distances), {index_key} (the
-- indexed column or expression), {index_operator} (its distance operator), {probe_key} (the query
-- vector in the key's form, e.g. (?::vector(384))::halfvec(384)).
-- Params: query vector (text), query vector again (for {probe_key}), k. Returns: distance.
SELECT v {operator} ?::{type} AS distance FROM {sample} ORDER BY {index_key} {index_operator} {probe_key} LIMIT ?;
