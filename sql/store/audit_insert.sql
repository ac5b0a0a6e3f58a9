-- One audit entry. Params: at, token_name, role, client, action, object, outcome, status, detail.
INSERT INTO audit (at, token_name, role, client, action, object, outcome, status, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
