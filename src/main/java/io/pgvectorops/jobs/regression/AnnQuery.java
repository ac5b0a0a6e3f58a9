package io.pgvectorops.jobs.regression;

import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.RegressionStore.Probe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The application's query, ORDER BY distance LIMIT k, for one probe set: prepared once and run for
 * each probe. A probe sampled from the table asks for one row more and leaves its own row out, so
 * it is always measured on k neighbours other than itself. The same statement with index scans
 * disabled is the exact search.
 */
final class AnnQuery implements AutoCloseable {
  /**
   * The distances of one answer (ascending, its own row left out, at most k) and how long it took.
   */
  record Answer(double[] distances, double millis) {}

  private final PreparedStatement exactK;
  private final PreparedStatement oneMore;
  private final int k;

  AnnQuery(Connection c, Template template, int k) throws SQLException {
    this.k = k;
    this.exactK = c.prepareStatement(template.sql("ann_query", k).text());
    this.oneMore = c.prepareStatement(template.sql("ann_query", k + 1).text());
    // planned at every execution: a cached generic plan would ignore a later SET LOCAL
    // enable_indexscan = off, and the "exact" search would quietly use the index
    exactK.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
    oneMore.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
  }

  /** Fills the templates of sql/regression with the probe set's quoted names. */
  record Template(
      String table, String column, String operator, String type, String filter, String send) {
    SqlFile sql(String name, int limit) {
      SqlFile f = SqlFile.load("regression/" + name);
      return new SqlFile(
          f.name(),
          f.text()
              .replace("{table}", table)
              .replace("{column}", column)
              .replace("{operator}", operator)
              .replace("{type}", type)
              .replace("{filter}", filter)
              .replace("{send}", send)
              .replace("{limit}", Integer.toString(limit)));
    }
  }

  Answer run(Probe probe) throws SQLException {
    PreparedStatement ps = probe.sourceTid() == null ? exactK : oneMore;
    ps.setString(1, probe.vector());
    ps.setString(2, probe.vector());
    double[] out = new double[k];
    int n = 0;
    long start = System.nanoTime();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        double d = rs.getDouble(2);
        // NULL vectors and zero vectors under cosine (NaN) sort last: never neighbours
        if (rs.wasNull()
            || Double.isNaN(d)
            || n == k
            || rs.getString(1).equals(probe.sourceTid())) {
          continue;
        }
        out[n++] = d;
      }
    }
    double millis = (System.nanoTime() - start) / 1e6;
    return new Answer(Arrays.copyOf(out, n), millis);
  }

  @Override
  public void close() throws SQLException {
    try (exactK;
        oneMore) {
      // both closed
    }
  }
}
