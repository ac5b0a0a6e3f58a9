-- A target's daily session peaks since a day, oldest first. Params: target, first day.
SELECT day, sessions, allowed
FROM connection_history
WHERE target = ? AND day >= ?::date
ORDER BY day;
