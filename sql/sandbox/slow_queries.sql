-- Vector queries that show up in pg_stat_statements, as an application sends them. The demo runs
-- this file a dozen times between slow-queries' baseline and its second run, then once a minute
-- while it runs (so the findings stay open at each scheduled run).
-- Sequential KNN scans of a table with no vector index at all:
SELECT id FROM unindexed_embeddings ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 1) LIMIT 10;
SELECT id FROM unindexed_embeddings ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 2) LIMIT 10;
SELECT id FROM unindexed_embeddings ORDER BY embedding <-> (SELECT embedding FROM items WHERE id = 3) LIMIT 10;
-- The common mistake: L2 distance (<->) on a table whose HNSW index is built for cosine (<=>), so
-- the index cannot serve the ORDER BY and every search reads the whole table (slow-queries:
-- vector-table-seq-scan on public.documents, naming this statement):
SELECT id FROM documents ORDER BY embedding <-> (SELECT embedding FROM documents WHERE id = 5) LIMIT 10;
-- Searches the indexes serve:
SELECT id FROM documents ORDER BY embedding <=> (SELECT embedding FROM documents WHERE id = 1) LIMIT 10;
SELECT id FROM items ORDER BY embedding <=> (SELECT embedding FROM items WHERE id = 4) LIMIT 10;
