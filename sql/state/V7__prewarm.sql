-- The prewarm job: when it last saw each target start, and each vector index's residency.
CREATE TABLE prewarm_marker (
  target           text PRIMARY KEY,
  postmaster_start timestamptz NOT NULL
);
ALTER TABLE vector_index
  ADD COLUMN residency             double precision,
  ADD COLUMN residency_measured_at timestamptz;
