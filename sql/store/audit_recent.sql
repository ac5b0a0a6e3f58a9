-- The newest audit entries, newest first, optionally of one action. Params: action (null: all),
-- action, limit.
SELECT id, at, token_name, role, client, action, object, outcome, status, detail
FROM audit
WHERE (?::text IS NULL OR action = ?)
ORDER BY id DESC
LIMIT ?;
