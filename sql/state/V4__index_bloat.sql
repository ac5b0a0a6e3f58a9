-- The bloat job's latest estimate per vector index, shown in /api/targets/{name}.
ALTER TABLE vector_index
  ADD COLUMN bloat_ratio       double precision,
  ADD COLUMN bloat_bytes       bigint,
  ADD COLUMN bloat_method      text,
  ADD COLUMN bloat_measured_at timestamptz;
