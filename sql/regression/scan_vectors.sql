-- One pass over a vector column for the ground truth the daemon computes itself: real[] travels
-- in binary. A template: {table}, {column}, {filter} (as in sample_probes). No params.
-- Returns: tid, v (real[]).
SELECT ctid::text AS tid, {column}::real[] AS v
FROM {table}
WHERE {column} IS NOT NULL AND (
  {filter}
);
