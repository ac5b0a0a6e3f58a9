-- A pending delivery of a notification through one channel. Params: notification_id, channel, next_attempt_at, created_at.
INSERT INTO delivery (notification_id, channel, status, next_attempt_at, created_at) VALUES (?, ?, 'pending', ?, ?);
