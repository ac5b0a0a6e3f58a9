-- The demo sandbox's tables on uniformly random vectors, for the fleet benchmark (bench/fleet),
-- where the data's shape does not matter. Random vectors are the worst case for approximate search
-- (recall@10 at pgvector's defaults about 0.68 for HNSW): the demo itself loads real embeddings
-- (real_data.sql). Run with psql (ON_ERROR_STOP). Deterministic (setseed).
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pg_buffercache;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
CREATE EXTENSION IF NOT EXISTS pgstattuple;

SELECT setseed(0.42);
CREATE FUNCTION pg_temp.random_vector(d int) RETURNS vector LANGUAGE sql VOLATILE AS
  $$ SELECT array_agg(random()::real)::vector FROM generate_series(1, d) $$;

-- 384-dim documents with an HNSW index, then churn: half of the vectors re-embedded, which
-- leaves dead elements in the graph (bloat for the bloat and index-rebuild jobs).
CREATE TABLE documents (
  id bigserial PRIMARY KEY,
  title text NOT NULL,
  category int NOT NULL,
  embedding vector(384)
);
INSERT INTO documents (title, category, embedding)
SELECT 'document ' || g, g % 20, pg_temp.random_vector(384) FROM generate_series(1, 6000) g;
CREATE INDEX documents_embedding_hnsw ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
UPDATE documents SET embedding = pg_temp.random_vector(384) WHERE id % 2 = 0;

-- 128-dim items with an IVFFlat index (lists chosen for far fewer rows than it has now: drift).
CREATE TABLE items (
  id bigserial PRIMARY KEY,
  embedding vector(128) NOT NULL
);
INSERT INTO items (embedding) SELECT pg_temp.random_vector(128) FROM generate_series(1, 2000);
CREATE INDEX items_embedding_ivfflat ON items USING ivfflat (embedding vector_l2_ops) WITH (lists = 10);
INSERT INTO items (embedding) SELECT pg_temp.random_vector(128) FROM generate_series(1, 18000);

-- A tiered table: hot rows (tier 0) have a partial HNSW index, warm/cold tiers do not yet.
CREATE TABLE tiered_chunks (
  id bigserial PRIMARY KEY,
  tier smallint NOT NULL DEFAULT 1,
  last_accessed_at timestamptz NOT NULL DEFAULT now(),
  access_count int NOT NULL DEFAULT 0,
  embedding vector(128) NOT NULL
);
INSERT INTO tiered_chunks (tier, last_accessed_at, access_count, embedding)
SELECT CASE WHEN g % 10 = 0 THEN 0 ELSE 1 END, now() - (g % 90) * interval '1 day', g % 50,
       pg_temp.random_vector(128)
FROM generate_series(1, 8000) g;
CREATE INDEX tiered_chunks_hot_hnsw ON tiered_chunks USING hnsw (embedding vector_l2_ops) WHERE tier = 0;

-- A table with vectors but no vector index: its KNN queries are slow sequential scans.
CREATE TABLE unindexed_embeddings (
  id bigserial PRIMARY KEY,
  embedding vector(128) NOT NULL
);
INSERT INTO unindexed_embeddings (embedding) SELECT pg_temp.random_vector(128) FROM generate_series(1, 20000);

-- Vectors of no declared dimension: cannot be indexed (the sql-check example finds it).
CREATE TABLE raw_embeddings (
  id bigserial PRIMARY KEY,
  embedding vector
);
INSERT INTO raw_embeddings (embedding) SELECT pg_temp.random_vector(64) FROM generate_series(1, 100);

ANALYZE;
