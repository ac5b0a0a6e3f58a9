-- The demo sandbox's data: real sentence embeddings (all-MiniLM-L6-v2, 384 dimensions, normalized)
-- of WordNet glosses, which SandboxRealData (test scope: bin/sandbox.sh runs it) loads into
-- sandbox_glosses (20,000 documents), sandbox_reembedded (half of them embedded again from a new
-- text template) and sandbox_questions (200 held-back glosses: what users asked). This script
-- shapes them into tables that exercise every job, each with a fault operators meet. Run once by
-- bin/pgvector-ops demo with psql (ON_ERROR_STOP). sql/sandbox/random_data.sql is the same layout
-- on random vectors (the fleet benchmark, where the data's shape does not matter).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pg_buffercache;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
CREATE EXTENSION IF NOT EXISTS pgstattuple;

-- documents: an HNSW index at pgvector's defaults (cosine), then half of the rows re-embedded from
-- a new template without a rebuild, which leaves dead elements in the graph (bloat for the bloat
-- and index-rebuild jobs). category is what a filtered search narrows by (one in twenty rows).
CREATE TABLE documents (
  id bigint PRIMARY KEY,
  title text NOT NULL,
  kind text NOT NULL,
  category int NOT NULL,
  embedding vector(384)
);
INSERT INTO documents (id, title, kind, category, embedding)
SELECT id, body, kind, id % 20, embedding FROM sandbox_glosses ORDER BY id;
CREATE INDEX documents_embedding_hnsw ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
UPDATE documents d SET title = r.body, embedding = r.embedding FROM sandbox_reembedded r WHERE r.id = d.id;

-- items: an IVFFlat index built when the table held a tenth of today's rows, with the lists
-- pgvector's guidance gave then (rows / 1000 = 2); grown tenfold since, each list now holds
-- 10,000 rows (guidance today: 20).
CREATE TABLE items (
  id bigint PRIMARY KEY,
  embedding vector(384) NOT NULL
);
INSERT INTO items (id, embedding) SELECT id, embedding FROM sandbox_glosses WHERE id <= 2000;
CREATE INDEX items_embedding_ivfflat ON items USING ivfflat (embedding vector_cosine_ops) WITH (lists = 2);
INSERT INTO items (id, embedding) SELECT id, embedding FROM sandbox_glosses WHERE id > 2000;

-- A tiered table: hot rows (tier 0) have a partial HNSW index, warm/cold tiers do not yet.
CREATE TABLE tiered_chunks (
  id bigserial PRIMARY KEY,
  tier smallint NOT NULL DEFAULT 1,
  last_accessed_at timestamptz NOT NULL DEFAULT now(),
  access_count int NOT NULL DEFAULT 0,
  embedding vector(384) NOT NULL
);
INSERT INTO tiered_chunks (tier, last_accessed_at, access_count, embedding)
SELECT CASE WHEN id % 10 = 0 THEN 0 ELSE 1 END, now() - (id % 90) * interval '1 day', id % 50, embedding
FROM sandbox_glosses WHERE id <= 8000 ORDER BY id;
CREATE INDEX tiered_chunks_hot_hnsw ON tiered_chunks USING hnsw (embedding vector_cosine_ops) WHERE tier = 0;

-- A table with vectors but no vector index: its KNN queries are slow sequential scans.
CREATE TABLE unindexed_embeddings (
  id bigint PRIMARY KEY,
  embedding vector(384) NOT NULL
);
INSERT INTO unindexed_embeddings (id, embedding) SELECT id, embedding FROM sandbox_glosses;

-- Vectors of no declared dimension: cannot be indexed (the sql-check example finds it).
CREATE TABLE raw_embeddings (
  id bigint PRIMARY KEY,
  embedding vector
);
INSERT INTO raw_embeddings (id, embedding) SELECT id, embedding FROM sandbox_glosses WHERE id <= 100;

-- What the application logs of its users' searches: the question and its embedding. The
-- search-recall job measures recall on these real questions (source: sql).
CREATE TABLE search_log (
  id bigint PRIMARY KEY,
  asked_at timestamptz NOT NULL,
  question text NOT NULL,
  embedding vector(384) NOT NULL
);
INSERT INTO search_log (id, asked_at, question, embedding)
SELECT id, now() - id * interval '7 minutes', body, embedding FROM sandbox_questions;

-- The application's role, whose sessions get hnsw.ef_search = 10 (someone's latency tuning):
-- below pgvector's default 40, its recall misses the target.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'search_app') THEN
    CREATE ROLE search_app LOGIN;
  END IF;
END $$;
ALTER ROLE search_app SET hnsw.ef_search = 10;
GRANT SELECT ON documents, search_log TO search_app;

DROP TABLE sandbox_glosses, sandbox_reembedded, sandbox_questions;
ANALYZE;
