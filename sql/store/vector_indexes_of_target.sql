-- The inventory of one target. A partitioned index's residency is its partitions' (weighted by
-- size; it has no buffers of its own). Params: target.
SELECT v.schema_name, v.index_name, v.table_name, v.column_name, v.column_type, v.dimensions, v.method,
       v.opclass, v.options::text AS options, v.size_bytes, v.table_bytes, v.rows, v.valid, v.definition,
       v.observed_at, v.bloat_ratio, v.bloat_bytes, v.bloat_method, v.bloat_measured_at,
       coalesce(v.residency, part.residency) AS residency,
       coalesce(v.residency_measured_at, part.residency_measured_at) AS residency_measured_at,
       v.partition_of, v.partitions::text AS partitions
FROM vector_index v
LEFT JOIN LATERAL (
  SELECT sum(p.residency * p.size_bytes) / nullif(sum(p.size_bytes), 0) AS residency,
         min(p.residency_measured_at) AS residency_measured_at
  FROM vector_index p
  WHERE v.partitions IS NOT NULL AND p.target = v.target
    AND p.partition_of = v.schema_name || '.' || v.index_name AND p.residency IS NOT NULL) part ON true
WHERE v.target = ?
ORDER BY v.schema_name, v.table_name, v.index_name;
