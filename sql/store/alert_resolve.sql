-- Resolves a firing alert. Params: resolved_at, id.
UPDATE alert SET state = 'resolved', resolved_at = ? WHERE id = ?;
