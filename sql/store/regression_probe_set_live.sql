-- The probe set in use for one index and label. Params: target, index_name, label.
-- Returns: the probe set's columns.
SELECT id, target, index_name, label, spec::text AS spec, table_name, column_expr, column_type, operator, created_at
FROM regression_probe_set
WHERE target = ? AND index_name = ? AND label = ? AND retired_at IS NULL;
