-- Forgets indexes of a target that its latest inventory no longer lists (they were dropped).
-- Params: target, observed_at of that inventory.
DELETE FROM vector_index WHERE target = ? AND observed_at < ?;
