-- One query of the quantization-trial through a binary-quantized index, re-ranked: the index
-- gives k x rerankFactor candidates by Hamming distance, the full vectors order them, the first k
-- are the answer (pgvector's README: binary quantization with re-ranking). A template: as
-- trial_search. Params: query vector (text), query vector again, candidates, k. Returns: distance.
SELECT distance
FROM (SELECT v {operator} ?::{type} AS distance
      FROM {sample}
      ORDER BY {index_key} {index_operator} {probe_key}
      LIMIT ?) candidates
ORDER BY distance
LIMIT ?;
