-- Stores residency of a target's vector indexes in one statement.
-- Params: measured_at, schema names (text[]), index names (text[]), residency ratios (float8[]), target.
UPDATE vector_index v SET residency = u.ratio, residency_measured_at = ?
FROM unnest(?::text[], ?::text[], ?::float8[]) AS u(schema_name, index_name, ratio)
WHERE v.target = ? AND v.schema_name = u.schema_name AND v.index_name = u.index_name;
