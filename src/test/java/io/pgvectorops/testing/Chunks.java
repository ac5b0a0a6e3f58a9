package io.pgvectorops.testing;

import java.sql.SQLException;

/**
 * The table the fault, privilege and bad-input tests share: public.chunks, a vector(8) column with
 * an HNSW index (chunks_hnsw), and the columns a tiering job moves rows by, every row last accessed
 * 90 days ago.
 */
public final class Chunks {
  /** The tiering job's `tables` entry for it: every row goes to the cold tier. */
  public static final String TIERING_TABLE =
      "    - {table: public.chunks, key: id, tierColumn: tier, lastAccessColumn: last_accessed_at,\n"
          + "       accessCountColumn: access_count, vectorColumn: embedding, tiers: {hot: 0, cold: 2},\n"
          + "       rules: [{to: cold, notAccessedFor: 60d}]}\n";

  private Chunks() {}

  public static void create(TestPostgres.Database db, int rows) throws SQLException {
    db.execute(
        "CREATE TABLE chunks (id bigserial PRIMARY KEY, embedding vector(8), tier int NOT NULL DEFAULT 0,"
            + " last_accessed_at timestamptz NOT NULL DEFAULT now() - interval '90 days',"
            + " access_count int NOT NULL DEFAULT 0)",
        "INSERT INTO chunks (embedding) SELECT rv(8) FROM generate_series(1, " + rows + ")",
        "CREATE INDEX chunks_hnsw ON chunks USING hnsw (embedding vector_l2_ops)",
        "ANALYZE chunks");
  }
}
