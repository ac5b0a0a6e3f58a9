package io.pgvectorops.testing.embeddings;

import io.pgvectorops.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;

/** A table of real embeddings as an application would keep it: id, kind, text and vector. */
public final class RealTable {
  private static final int BATCH = 500;

  private RealTable() {}

  /** Creates {@code table} (no index) and loads the set into it, ids as in the set. */
  public static void load(TestPostgres.Database db, String table, RealEmbeddings.Set set)
      throws Exception {
    db.execute(
        "CREATE TABLE "
            + table
            + " (id int PRIMARY KEY, kind text NOT NULL, body text NOT NULL, e vector("
            + RealEmbeddings.DIMENSIONS
            + ") NOT NULL)");
    insert(db, table, set);
  }

  /** Adds the set's rows to {@code table}, made by {@link #load}. */
  public static void insert(TestPostgres.Database db, String table, RealEmbeddings.Set set)
      throws Exception {
    try (Connection conn = db.connect();
        PreparedStatement ps =
            conn.prepareStatement(
                "INSERT INTO " + table + " (id, kind, body, e) VALUES (?, ?, ?, ?::vector)")) {
      conn.setAutoCommit(false);
      for (int i = 0; i < set.texts().size(); i++) {
        Text t = set.texts().get(i);
        ps.setInt(1, t.id());
        ps.setString(2, t.kind());
        ps.setString(3, t.text());
        ps.setString(4, set.literal(i));
        ps.addBatch();
        if ((i + 1) % BATCH == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      conn.commit();
    }
  }
}
