-- Today's client sessions of a target: the most seen in a day is kept. Params: target, day,
-- sessions, allowed.
INSERT INTO connection_history (target, day, sessions, allowed)
VALUES (?, ?::date, ?, ?)
ON CONFLICT (target, day) DO UPDATE
SET sessions = greatest(connection_history.sessions, EXCLUDED.sessions), allowed = EXCLUDED.allowed;
