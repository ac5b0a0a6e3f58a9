package io.pgvectorops.jobs.regression;

import io.pgvectorops.state.RegressionStore.Probe;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The exact k nearest neighbours of every probe (ground truth), two ways, both on the caller's
 * transaction so they see the same snapshot as the measured queries:
 * <ul>
 *   <li>{@link #scan}: one pass over the table, streamed in binary, distances computed here:
 *       the table is read once whatever the number of probes (vector and halfvec);
 *   <li>{@link #queries}: the exact ORDER BY ... LIMIT k per probe with index scans disabled:
 *       every type and operator, but one full scan and sort per probe.
 * </ul>
 */
final class ExactNeighbours {
  record Result(double[][] distances, long rowsScanned) {}

  private ExactNeighbours() {}

  static Result scan(Connection c, AnnQuery.Template t, List<Probe> probes, int k, Distance distance,
      BooleanSupplier stop) throws SQLException {
    float[][] queries = new float[probes.size()][];
    Map<String, Integer> ownRow = new HashMap<>();
    TopK[] best = new TopK[probes.size()];
    for (int i = 0; i < probes.size(); i++) {
      queries[i] = ProbeSampler.parse(probes.get(i).vector());
      best[i] = new TopK(k);
      if (probes.get(i).sourceTid() != null) {
        ownRow.put(probes.get(i).sourceTid(), i);
      }
    }
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(t.sql("scan_vectors", 0).text())) {
      // binary transfer from the first execution: real[] arrives as 4-byte floats, not text
      ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
      ps.setFetchSize(2000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if ((++rows & 0xFFF) == 0 && stop.getAsBoolean()) {
            throw new SQLException("stopped: the daemon is shutting down or the run reached maxRuntime");
          }
          float[] v = floats(rs.getBytes(2));
          Integer own = ownRow.isEmpty() ? null : ownRow.get(rs.getString(1));
          for (int i = 0; i < queries.length; i++) {
            if (own != null && own == i) {
              continue;
            }
            double d = distance.between(queries[i], v);
            if (!Double.isNaN(d) && d < best[i].bound()) {
              best[i].offer(d);
            }
          }
        }
      }
    }
    double[][] out = new double[probes.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = best[i].sorted();
    }
    return new Result(out, rows);
  }

  /** Index scans are disabled inside a savepoint, so the caller's settings are back afterwards. */
  static Result queries(Connection c, AnnQuery ann, List<Probe> probes, long tableRows, BooleanSupplier stop)
      throws SQLException {
    double[][] out = new double[probes.size()][];
    try (Statement s = c.createStatement()) {
      s.execute("SAVEPOINT exact_search");
      s.execute("SET LOCAL enable_indexscan = off");
      for (int i = 0; i < probes.size(); i++) {
        if (stop.getAsBoolean()) {
          throw new SQLException("stopped: the daemon is shutting down or the run reached maxRuntime");
        }
        out[i] = ann.run(probes.get(i)).distances();
      }
      s.execute("ROLLBACK TO SAVEPOINT exact_search");
    }
    return new Result(out, tableRows * probes.size());
  }

  /** A real[] in PostgreSQL's binary array format: ndim, flags, element type, (dim, lbound)*, (len, value)*. */
  static float[] floats(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int ndim = b.getInt();
    b.getInt();
    b.getInt();
    if (ndim == 0) {
      return new float[0];
    }
    int n = b.getInt();
    b.getInt();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      b.getInt();
      out[i] = b.getFloat();
    }
    return out;
  }
}
