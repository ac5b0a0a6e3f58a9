-- The audit trail: every call that changes something, and every reload, with who made it (the
-- token's name and role; null when no valid token was presented), from where, and how it ended.
-- Never deleted by the daemon.
CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  token_name text,
  role text,
  client text NOT NULL,
  action text NOT NULL,
  object text NOT NULL,
  outcome text NOT NULL,
  status integer NOT NULL,
  detail text
);
CREATE INDEX audit_at ON audit (at DESC);
