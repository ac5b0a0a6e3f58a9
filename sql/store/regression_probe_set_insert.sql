-- A new probe set. Params: target, index_name, label, spec (json text), table_name, column_expr,
-- column_type, operator, created_at. Returns: id.
INSERT INTO regression_probe_set (target, index_name, label, spec, table_name, column_expr, column_type, operator,
                                  created_at)
VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
RETURNING id;
