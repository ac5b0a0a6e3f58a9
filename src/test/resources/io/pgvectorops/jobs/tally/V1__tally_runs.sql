-- The tally test kind's own table: runs counted per target.
CREATE TABLE tally_runs (
  target text PRIMARY KEY,
  runs bigint NOT NULL,
  last_run_at timestamptz NOT NULL
);
