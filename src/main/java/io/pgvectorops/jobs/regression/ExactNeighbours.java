package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.sql.Jdbc;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The exact k nearest neighbours of every probe (ground truth), two ways, both on the caller's
 * transaction so they see the same snapshot as the measured queries:
 *
 * <ul>
 *   <li>{@link #scan}: one pass over the table, streamed in binary, distances computed here: the
 *       table is read once whatever the number of probes (vector and halfvec);
 *   <li>{@link #queries}: the exact ORDER BY ... LIMIT k per probe with index scans disabled: every
 *       type and operator, but one full scan and sort per probe.
 * </ul>
 */
final class ExactNeighbours {
  record Result(double[][] distances, long rowsScanned) {}

  private ExactNeighbours() {}

  static Result scan(
      Jdbc jdbc,
      Connection c,
      AnnQuery.Template t,
      List<Probe> probes,
      int k,
      Distance distance,
      boolean half,
      BooleanSupplier stop) {
    float[][] queries = new float[probes.size()][];
    Map<String, Integer> ownRow = new HashMap<>();
    TopK[] best = new TopK[probes.size()];
    for (int i = 0; i < probes.size(); i++) {
      queries[i] = ProbeSampler.parse(probes.get(i).vector());
      best[i] = new TopK(k);
      // a probe taken from a row is not its own neighbour
      if (probes.get(i).sourceTid() != null) {
        ownRow.put(probes.get(i).sourceTid(), i);
      }
    }
    long rows = read(jdbc, c, t, half, stop, new ProbeDistances(distance, queries), ownRow, best);
    double[][] out = new double[probes.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = best[i].sorted();
    }
    return new Result(out, rows);
  }

  /** Reads every row's vector once, offering its distance to each probe's top k; rows read. */
  private static long read(
      Jdbc jdbc,
      Connection c,
      AnnQuery.Template t,
      boolean half,
      BooleanSupplier stop,
      ProbeDistances distances,
      Map<String, Integer> ownRow,
      TopK[] best) {
    long[] rows = {0};
    double[] d = new double[best.length];
    // binary transfer from the first execution: the bytea arrives as it is, not hex text
    try (Jdbc.Prepared ps = jdbc.prepare(c, t.sql("scan_vectors", 0), -1, 2000)) {
      ps.forEach(
          rs -> {
            if ((++rows[0] & 0xFFF) == 0 && stop.getAsBoolean()) {
              throw new Stopped();
            }
            float[] v = half ? halves(rs.getBytes(2)) : floats(rs.getBytes(2));
            Integer own = ownRow.isEmpty() ? null : ownRow.get(rs.getString(1));
            distances.compute(v, d);
            for (int i = 0; i < best.length; i++) {
              if (own != null && own == i) {
                continue;
              }
              if (!Double.isNaN(d[i]) && d[i] < best[i].bound()) {
                best[i].offer(d[i]);
              }
            }
            return null;
          });
    }
    return rows[0];
  }

  /** Index scans are disabled inside a savepoint, so the caller's settings are back afterwards. */
  static Result queries(
      Jdbc jdbc,
      Connection c,
      AnnQuery ann,
      List<Probe> probes,
      long tableRows,
      BooleanSupplier stop) {
    double[][] out = new double[probes.size()][];
    Trial.run(
        jdbc,
        c,
        () -> {
          Trial.set(jdbc, c, "enable_indexscan", "off");
          for (int i = 0; i < probes.size(); i++) {
            if (stop.getAsBoolean()) {
              throw new Stopped();
            }
            out[i] = ann.run(probes.get(i)).distances();
          }
          return null;
        });
    return new Result(out, tableRows * probes.size());
  }

  /** vector_send's format: int16 dim, int16 unused, dim float4, big-endian. */
  static float[] floats(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.getShort() & 0xFFFF;
    b.getShort();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  /** halfvec_send's format: int16 dim, int16 unused, dim IEEE half floats, big-endian. */
  static float[] halves(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.getShort() & 0xFFFF;
    b.getShort();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = halfToFloat(b.getShort());
    }
    return out;
  }

  static float halfToFloat(short h) {
    int sign = (h >>> 15) & 1;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    float v;
    if (exp == 0) {
      v = (float) (mant * Math.pow(2, -24)); // subnormal
    } else if (exp == 31) {
      v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
    }
    return sign == 1 ? -v : v;
  }
}
