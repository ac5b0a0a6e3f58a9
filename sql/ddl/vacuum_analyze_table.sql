-- VACUUM (ANALYZE) of one table after its HNSW index was rebuilt, when vacuuming the fresh graph
-- is quick. Template: {table} is the quoted schema.name. Outside a transaction block.
VACUUM (ANALYZE) {table};
