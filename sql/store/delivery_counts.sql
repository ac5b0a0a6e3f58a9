-- Deliveries by channel and status. No params.
SELECT channel, status, count(*) AS n FROM delivery GROUP BY channel, status;
