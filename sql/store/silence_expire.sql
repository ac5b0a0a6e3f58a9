-- Ends a silence now; the row stays as a record. Params: expired_at, id. Returns: id.
UPDATE silence SET expired_at = ? WHERE id = ? AND expired_at IS NULL RETURNING id;
