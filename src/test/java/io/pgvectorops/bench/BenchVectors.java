package io.pgvectorops.bench;

import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.embeddings.RealEmbeddings;
import io.pgvectorops.testing.embeddings.RealTable;
import java.sql.Connection;

/**
 * What a benchmark measures on, said in its output: uniformly random vectors (any dimension; the
 * worst case for approximate search, so recall there is far below what users see) or real sentence
 * embeddings (all-MiniLM-L6-v2 of WordNet glosses, 384 dimensions, from the embeddings cache).
 *
 * @param real real embeddings rather than random ones
 * @param dims the vectors' dimensions
 */
record BenchVectors(boolean real, int dims) {
  /** From a benchmark's dimensions argument: a number (random vectors) or {@code real}. */
  static BenchVectors of(String arg) {
    return "real".equals(arg)
        ? new BenchVectors(true, RealEmbeddings.DIMENSIONS)
        : new BenchVectors(false, Integer.parseInt(arg));
  }

  /** "200000 x 128-dim random" or "100000 x 384-dim real (…)". */
  String describe(int rows) {
    return rows
        + " x "
        + dims
        + "-dim "
        + (real ? "real (all-MiniLM-L6-v2 embeddings of WordNet glosses)" : "uniformly random");
  }

  /**
   * Creates {@code items (id bigserial, e vector(dims))} with {@code rows} vectors; random ones
   * after the given seed (the same rows every run).
   */
  void load(TestPostgres.Database db, int rows, double seed) throws Exception {
    db.execute("CREATE TABLE items (id bigserial PRIMARY KEY, e vector(" + dims + "))");
    if (real) {
      try (Connection c = db.connect()) {
        RealTable.copy(c, "items (e)", RealEmbeddings.documents(rows), false);
      }
      return;
    }
    db.execute(
        "SELECT setseed(" + seed + ")",
        "INSERT INTO items (e) SELECT (SELECT array_agg(random()::real) FROM generate_series(1, "
            + dims
            + ") WHERE g > 0)::vector FROM generate_series(1, "
            + rows
            + ") g");
  }
}
