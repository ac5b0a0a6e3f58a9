-- The regression job: fixed probe sets per vector index, their cached exact top-k, every run's
-- figures (the series) and the baseline each probe set is compared with.

-- A probe set is one index measured one way (all rows, or a filter). Its spec (source, count, k,
-- filter) is part of its identity: a changed spec makes a new set and retires the old one, so a
-- series never mixes two ways of measuring.
CREATE TABLE regression_probe_set (
  id           bigserial PRIMARY KEY,
  target       text NOT NULL,
  index_name   text NOT NULL,        -- qualified, quoted where needed: public."My Index"
  label        text NOT NULL,        -- 'all rows' or the job file's name for a filtered set
  spec         jsonb NOT NULL,
  table_name   text NOT NULL,
  column_expr  text NOT NULL,
  column_type  text NOT NULL,
  operator     text NOT NULL,
  created_at   timestamptz NOT NULL,
  retired_at   timestamptz
);
CREATE UNIQUE INDEX regression_probe_set_live ON regression_probe_set (target, index_name, label)
  WHERE retired_at IS NULL;

-- The query vectors, in the column type's text form. source_tid is the row a probe was sampled
-- from (excluded from its neighbours, else the probe finds itself); null for user-supplied probes.
CREATE TABLE regression_probe (
  probe_set_id bigint NOT NULL REFERENCES regression_probe_set (id) ON DELETE CASCADE,
  ordinal      int NOT NULL,
  vector       text NOT NULL,
  source_tid   text,
  PRIMARY KEY (probe_set_id, ordinal)
);

-- Exact top-k per probe (distances ascending), and what the table looked like when computed:
-- recomputed when the table's insert/update/delete counters moved by more than a share of its rows.
CREATE TABLE regression_ground_truth (
  probe_set_id  bigint PRIMARY KEY REFERENCES regression_probe_set (id) ON DELETE CASCADE,
  computed_at   timestamptz NOT NULL,
  method        text NOT NULL,
  table_oid     bigint NOT NULL,
  table_changes bigint NOT NULL,
  live_rows     bigint NOT NULL,
  rows_scanned  bigint NOT NULL,
  millis        bigint NOT NULL,
  distances     jsonb NOT NULL        -- [[d1..dk] per probe, in ordinal order]
);

-- One point of the series per run and probe set.
CREATE TABLE regression_point (
  id               bigserial PRIMARY KEY,
  probe_set_id     bigint NOT NULL REFERENCES regression_probe_set (id) ON DELETE CASCADE,
  run_id           bigint,
  measured_at      timestamptz NOT NULL,
  recall           double precision NOT NULL,
  p50_ms           double precision NOT NULL,
  p95_ms           double precision NOT NULL,
  p99_ms           double precision NOT NULL,
  settings         jsonb NOT NULL,
  index_definition text NOT NULL,
  plan_uses_index  boolean NOT NULL,
  starved_share    double precision,
  recall_breach    boolean NOT NULL,
  latency_breach   boolean NOT NULL,
  baseline_id      bigint,             -- the point this one was compared with (null: it is one)
  note             text,
  sweep            jsonb
);
CREATE INDEX regression_point_series ON regression_point (probe_set_id, measured_at);

-- The point each probe set is compared with: the first good run, a run after the index's
-- definition changed, or one pinned through the API.
CREATE TABLE regression_baseline (
  probe_set_id bigint PRIMARY KEY REFERENCES regression_probe_set (id) ON DELETE CASCADE,
  point_id     bigint NOT NULL REFERENCES regression_point (id) ON DELETE CASCADE,
  reason       text NOT NULL,
  pinned_at    timestamptz NOT NULL
);
