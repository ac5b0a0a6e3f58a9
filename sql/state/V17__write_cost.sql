-- Write cost of INSERT and UPDATE statements (slow-queries: write-amplification).
-- Buffers touched per snapshot entry, for the write cost of INSERT and UPDATE statements: added to
-- the daemon's statement_snapshot (kept 0 for snapshots taken before this version).
ALTER TABLE statement_snapshot
  ADD COLUMN IF NOT EXISTS shared_blks_hit bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS shared_blks_dirtied bigint NOT NULL DEFAULT 0;

-- The lowest buffers per row seen of each INSERT or UPDATE statement on a table with a vector
-- index: what its write cost is compared with (write-amplification).
CREATE TABLE write_cost_baseline (
  target          text             NOT NULL,
  queryid         bigint           NOT NULL,
  table_name      text             NOT NULL,
  buffers_per_row double precision NOT NULL,
  rows            bigint           NOT NULL,
  seen_at         timestamptz      NOT NULL,
  PRIMARY KEY (target, queryid)
);
