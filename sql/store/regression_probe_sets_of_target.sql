-- Every probe set in use on a target (to notice indexes that disappeared). Params: target.
-- Returns: the probe set's columns.
SELECT id, target, index_name, label, spec::text AS spec, table_name, column_expr, column_type, operator, created_at
FROM regression_probe_set
WHERE target = ? AND retired_at IS NULL
ORDER BY index_name, label;
