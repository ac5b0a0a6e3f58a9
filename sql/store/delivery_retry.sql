-- A failed attempt, to be retried. Params: next_attempt_at, last_error, id.
UPDATE delivery SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?;
