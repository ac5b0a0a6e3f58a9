-- Stores the bloat job's estimates for a target's vector indexes in one statement.
-- Params: method, measured_at, schema names (text[]), index names (text[]), ratios (float8[]),
-- wasted bytes (int8[]), target.
UPDATE vector_index v
SET bloat_ratio = u.ratio, bloat_bytes = u.wasted, bloat_method = ?, bloat_measured_at = ?
FROM unnest(?::text[], ?::text[], ?::float8[], ?::int8[]) AS u(schema_name, index_name, ratio, wasted)
WHERE v.target = ? AND v.schema_name = u.schema_name AND v.index_name = u.index_name;
