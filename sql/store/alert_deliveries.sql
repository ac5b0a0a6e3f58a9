-- Deliveries of the notifications that carried these alerts. Params: alert ids (bigint[]).
SELECT na.alert_id, na.transition, n.id AS notification_id, n.idempotency_key::text AS idempotency_key,
       d.channel, d.status, d.attempts, d.last_error, d.delivered_at, d.created_at
FROM notification_alert na
JOIN notification n ON n.id = na.notification_id
JOIN delivery d ON d.notification_id = n.id
WHERE na.alert_id = ANY (?)
ORDER BY d.created_at, d.id;
