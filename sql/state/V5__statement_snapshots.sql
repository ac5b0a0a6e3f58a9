-- The slow-queries job's snapshots: judged on the interval between two runs, not on totals.

CREATE TABLE statement_baseline (
  target            text PRIMARY KEY,
  taken_at          timestamptz NOT NULL,
  -- pg_postmaster_start_time() and pg_stat_statements_info.stats_reset: a change starts a new baseline
  postmaster_start  timestamptz NOT NULL,
  stats_reset       timestamptz,            -- null before PostgreSQL 14
  dealloc           bigint
);

CREATE TABLE statement_snapshot (
  target           text             NOT NULL,
  taken_at         timestamptz      NOT NULL,
  userid           bigint           NOT NULL,
  dbid             bigint           NOT NULL,
  queryid          bigint           NOT NULL,
  toplevel         boolean          NOT NULL,
  calls            bigint           NOT NULL,
  total_ms         double precision NOT NULL,
  max_ms           double precision,
  rows             bigint           NOT NULL,
  shared_blks_read bigint           NOT NULL,
  stats_since      timestamptz,
  -- capped: an entry recreated after eviction can carry a whole vector literal
  query            text,
  PRIMARY KEY (target, taken_at, userid, dbid, queryid, toplevel)
);

CREATE TABLE table_scan_snapshot (
  target      text        NOT NULL,
  taken_at    timestamptz NOT NULL,
  schema_name text        NOT NULL,
  table_name  text        NOT NULL,
  seq_scan    bigint      NOT NULL,
  idx_scan    bigint      NOT NULL,
  PRIMARY KEY (target, taken_at, schema_name, table_name)
);
