-- One notification (a run's alert transitions) in the outbox.
-- Params: idempotency_key, created_at, job, target, run_id, status, payload. Returns: id.
INSERT INTO notification (idempotency_key, created_at, job, target, run_id, status, payload)
VALUES (?::uuid, ?, ?, ?, ?, ?, ?::json) RETURNING id;
