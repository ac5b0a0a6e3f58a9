package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.sql.Jdbc;
import java.sql.Connection;
import java.util.List;

/**
 * The ground-truth scan's statement for bench/regression, outside a job run: read plainly (every
 * row fetched as the scan fetches it, nothing computed) or with the scan's arithmetic.
 */
public final class GroundTruthScanning {
  private GroundTruthScanning() {}

  /** What one pass read: rows and bytes of vector data received. */
  public record Read(long rows, long bytes) {}

  private static AnnQuery.Template template(String table, String column) {
    return new AnnQuery.Template(table, column, "<->", "vector", "true", "vector_send");
  }

  /**
   * The scan's statement with the scan's fetch settings; each row's tid and bytes taken, no more.
   */
  public static Read plain(Jdbc jdbc, Connection c, String table, String column) {
    long[] totals = {0, 0};
    try (Jdbc.Prepared ps =
        jdbc.prepare(c, template(table, column).sql("scan_vectors", 0), -1, 2000)) {
      ps.forEach(
          rs -> {
            rs.getString(1);
            totals[0]++;
            totals[1] += rs.getBytes(2).length;
            return null;
          });
    }
    return new Read(totals[0], totals[1]);
  }

  /** The ground truth the regression job computes (l2, k nearest) for these probes. */
  public static double[][] scan(
      Jdbc jdbc, Connection c, String table, String column, List<Probe> probes, int k) {
    return ExactNeighbours.scan(
            jdbc, c, template(table, column), probes, k, Distance.l2, false, () -> false)
        .distances();
  }
}
