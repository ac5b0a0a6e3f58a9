-- Vector queries that show up in pg_stat_statements: slow sequential KNN scans and indexed ones.
SELECT id FROM unindexed_embeddings ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 1) LIMIT 10;
SELECT id FROM unindexed_embeddings ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 2) LIMIT 10;
SELECT id FROM unindexed_embeddings ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 3) LIMIT 10;
SELECT id FROM documents ORDER BY embedding <=> (SELECT embedding FROM documents WHERE id = 1) LIMIT 10;
SELECT id FROM items ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 4) LIMIT 10;
