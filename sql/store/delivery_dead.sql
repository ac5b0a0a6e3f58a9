-- A delivery given up after maxDeliveryAge. Params: last_error, id.
UPDATE delivery SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?;
