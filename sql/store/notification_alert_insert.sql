-- Links a notification to an alert it carries. Params: notification_id, alert_id, transition.
INSERT INTO notification_alert (notification_id, alert_id, transition) VALUES (?, ?, ?);
