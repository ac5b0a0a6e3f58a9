-- Its finding is gone: the alert keeps firing until keepFiringFor has passed. Params: clear_since, id.
UPDATE alert SET clear_since = ? WHERE id = ? AND clear_since IS NULL;
