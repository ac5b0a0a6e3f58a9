-- The daemon's own records: job runs, findings, and what the health job saw of each target.

CREATE TABLE job_run (
  id            bigserial PRIMARY KEY,
  job           text        NOT NULL,
  kind          text        NOT NULL,
  target        text        NOT NULL,
  -- schedule: fired by Quartz; recovery: re-fired after an instance died; manual: API; cli: `run`;
  -- startup: the health check an instance runs when it starts
  trigger       text        NOT NULL CHECK (trigger IN ('schedule', 'recovery', 'manual', 'cli', 'startup')),
  dry_run       boolean     NOT NULL DEFAULT false,
  scheduled_for timestamptz,
  started_at    timestamptz NOT NULL,
  ended_at      timestamptz,
  status        text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted')),
  summary       jsonb       NOT NULL DEFAULT '{}',
  error         text,
  instance_id   text        NOT NULL,
  -- key of the session-level advisory lock its process holds on the state database while alive;
  -- a running run whose lock is gone belonged to a process that died
  owner_key     integer     NOT NULL
);
CREATE INDEX job_run_job_started ON job_run (job, started_at DESC);
CREATE INDEX job_run_running ON job_run (status) WHERE status = 'running';
-- A scheduled fire is recorded once, whichever instance of a cluster ran it.
CREATE UNIQUE INDEX job_run_fire_once ON job_run (job, target, scheduled_for) WHERE trigger = 'schedule';

CREATE TABLE finding (
  id           bigserial PRIMARY KEY,
  job          text        NOT NULL,
  target       text        NOT NULL,
  object       text        NOT NULL,
  kind         text        NOT NULL,
  severity     text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message      text        NOT NULL,
  metrics      jsonb       NOT NULL DEFAULT '{}',
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  resolved_at  timestamptz,
  first_run_id bigint REFERENCES job_run (id),
  last_run_id  bigint REFERENCES job_run (id)
);
CREATE UNIQUE INDEX finding_open_key ON finding (job, target, object, kind) WHERE resolved_at IS NULL;
CREATE INDEX finding_resolved ON finding (resolved_at DESC) WHERE resolved_at IS NOT NULL;

CREATE TABLE target_snapshot (
  target              text PRIMARY KEY,
  observed_at         timestamptz NOT NULL,
  reachable           boolean     NOT NULL,
  error               text,
  server_version      text,
  server_version_num  integer,
  in_recovery         boolean,
  pgvector_version    text,
  pgvector_available  text,
  extensions          jsonb       NOT NULL DEFAULT '{}',
  last_reachable_at   timestamptz
);

CREATE TABLE vector_index (
  target          text        NOT NULL,
  schema_name     text        NOT NULL,
  index_name      text        NOT NULL,
  table_name      text        NOT NULL,
  column_name     text        NOT NULL,
  column_type     text        NOT NULL,
  dimensions      integer,
  method          text        NOT NULL,
  opclass         text        NOT NULL,
  options         jsonb       NOT NULL DEFAULT '{}',
  size_bytes      bigint      NOT NULL,
  table_bytes     bigint      NOT NULL,
  rows            bigint,
  valid           boolean     NOT NULL,
  definition      text        NOT NULL,
  observed_at     timestamptz NOT NULL,
  PRIMARY KEY (target, schema_name, index_name)
);
