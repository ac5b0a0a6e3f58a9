-- Re-ranking as pgvector's README shows it for binary quantization and subvectors: the index
-- returns {candidates} rows by its reduced form, which are re-ordered by the full vectors' distance.
-- A template: as ann_query, plus {base} (the full-vector column), {base_type}, {rerank_operator}
-- (qualified) and {candidates}. Params: the full query vector (text), the query vector in the index's
-- form (text). Returns: tid, distance (the full vectors' distance).
SELECT candidates.tid, candidates.full_vector {rerank_operator} ?::{base_type} AS distance
FROM (
  SELECT ctid::text AS tid, {base} AS full_vector
  FROM {table}
  WHERE (
    {filter}
  )
  ORDER BY {column} {operator} ?::{type}
  LIMIT {candidates}
) AS candidates
ORDER BY 2
LIMIT {limit};
