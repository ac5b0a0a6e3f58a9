-- One pass over a vector column for the ground truth the daemon computes itself. The type's own
-- send function (vector_send, halfvec_send) ships each value as bytea in binary, exactly as
-- stored: no cast, no array construction.
-- A template: {table}, {column}, {filter} (as in sample_probes), {send} (the send function).
-- No params. Returns: tid, v (bytea: int16 dim, int16 unused, dim floats or halves, big-endian).
SELECT ctid::text AS tid, {send}({column}) AS v
FROM {table}
WHERE {column} IS NOT NULL AND (
  {filter}
);
