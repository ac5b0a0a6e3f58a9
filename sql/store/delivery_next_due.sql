-- The next due delivery, locked until this transaction ends; other instances skip it, so one
-- notification is never sent twice at once. Params: now.
SELECT d.id, d.channel, d.attempts, d.created_at, n.payload::text AS payload, n.idempotency_key::text AS idempotency_key
FROM delivery d JOIN notification n ON n.id = d.notification_id
WHERE d.status = 'pending' AND d.next_attempt_at <= ?
ORDER BY d.next_attempt_at, d.id
LIMIT 1
FOR UPDATE OF d SKIP LOCKED;
