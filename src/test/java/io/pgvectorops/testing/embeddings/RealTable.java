package io.pgvectorops.testing.embeddings;

import io.pgvectorops.testing.TestPostgres;
import java.io.StringReader;
import java.sql.Connection;
import org.postgresql.PGConnection;

/** A table of real embeddings as an application would keep it: id, kind, text and vector. */
public final class RealTable {
  private static final int COPY_ROWS = 5_000;

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
    try (Connection conn = db.connect()) {
      copy(conn, table + " (id, kind, body, e)", set, true);
    }
  }

  /**
   * COPY of the set into {@code target} (a table and its column list): id, kind, text and vector,
   * or the vectors alone.
   */
  public static void copy(Connection conn, String target, RealEmbeddings.Set set, boolean texts)
      throws Exception {
    // in parts, so 100,000 vectors (about 400 MB as text) never sit in memory at once
    for (int from = 0; from < set.texts().size(); from += COPY_ROWS) {
      StringBuilder rows = new StringBuilder();
      for (int i = from; i < Math.min(set.texts().size(), from + COPY_ROWS); i++) {
        Text t = set.texts().get(i);
        if (texts) {
          rows.append(t.id())
              .append('\t')
              .append(escaped(t.kind()))
              .append('\t')
              .append(escaped(t.text()))
              .append('\t');
        }
        rows.append(set.literal(i)).append('\n');
      }
      conn.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY " + target + " FROM STDIN", new StringReader(rows.toString()));
    }
  }

  /** COPY's text format: backslash, tab and line breaks escaped. */
  private static String escaped(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }
}
