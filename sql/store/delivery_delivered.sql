-- A delivery that succeeded. Params: delivered_at, id.
UPDATE delivery SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?;
