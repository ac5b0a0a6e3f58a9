-- Alerting: alerts derived from findings, silences, and the durable outbox of notifications.

-- How many runs have seen an open finding: a warning fires only when a second run still sees it.
ALTER TABLE finding ADD COLUMN times_seen integer NOT NULL DEFAULT 1;

CREATE TABLE alert (
  id                bigserial PRIMARY KEY,
  target            text        NOT NULL,
  object            text        NOT NULL,
  kind              text        NOT NULL,
  job               text        NOT NULL,
  severity          text        NOT NULL CHECK (severity IN ('warning', 'critical')),
  state             text        NOT NULL CHECK (state IN ('firing', 'resolved')),
  message           text        NOT NULL,
  metrics           jsonb       NOT NULL DEFAULT '{}',
  started_at        timestamptz NOT NULL,
  last_seen_at      timestamptz NOT NULL,
  -- set when its finding went away; it resolves once keepFiringFor has passed since
  clear_since       timestamptz,
  resolved_at       timestamptz,
  last_notified_at  timestamptz,
  notified_severity text
);
CREATE UNIQUE INDEX alert_firing_key ON alert (target, object, kind) WHERE state = 'firing';
CREATE INDEX alert_resolved ON alert (resolved_at DESC) WHERE state = 'resolved';

CREATE TABLE silence (
  id             bigserial PRIMARY KEY,
  target         text,
  kind           text,
  object_pattern text,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  comment        text,
  created_at     timestamptz NOT NULL,
  -- DELETE /api/silences/{id} ends a silence early; rows are kept as a record
  expired_at     timestamptz
);

CREATE TABLE notification (
  id              bigserial PRIMARY KEY,
  idempotency_key uuid        NOT NULL UNIQUE,
  created_at      timestamptz NOT NULL,
  job             text        NOT NULL,
  target          text        NOT NULL,
  run_id          bigint,
  status          text        NOT NULL CHECK (status IN ('firing', 'resolved')),
  -- json, not jsonb: the text is kept exactly as written, and is the body a webhook receives
  payload         json        NOT NULL
);

CREATE TABLE notification_alert (
  notification_id bigint NOT NULL REFERENCES notification (id),
  alert_id        bigint NOT NULL REFERENCES alert (id),
  transition      text   NOT NULL CHECK (transition IN ('firing', 'repeat', 'severity', 'resolved')),
  PRIMARY KEY (notification_id, alert_id)
);
CREATE INDEX notification_alert_alert ON notification_alert (alert_id);

CREATE TABLE delivery (
  id              bigserial PRIMARY KEY,
  notification_id bigint      NOT NULL REFERENCES notification (id),
  channel         text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_notification ON delivery (notification_id);
