-- The nearest-neighbour query as an application sends it: ORDER BY distance LIMIT k, which is what
-- the vector index serves. A template: {table}, {column}, {operator}, {type}, {filter} (as in
-- sample_probes), {limit} (a number: a literal LIMIT, as applications send it, keeps a generic plan
-- from guessing). Params: query vector (text), the same vector again. Returns: tid, distance.
-- With index scans disabled the same statement is the exact search.
SELECT ctid::text AS tid, {column} {operator} ?::{type} AS distance
FROM {table}
WHERE (
  {filter}
)
ORDER BY {column} {operator} ?::{type}
LIMIT {limit};
