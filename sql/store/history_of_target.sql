-- A target's samples, by index then day. Params: target, first day.
SELECT schema_name, index_name, day, rows, size_bytes, table_bytes, residency
FROM vector_index_history
WHERE target = ? AND day >= ?::date
ORDER BY schema_name, index_name, day;
