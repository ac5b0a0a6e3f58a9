package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionParams.Source;
import io.pgvectorops.sql.SqlText;
import io.pgvectorops.state.RegressionStore.Probe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Chooses a probe set's query vectors once; they are kept and reused by every later run. */
final class ProbeSampler {
  private final SplittableRandom random = new SplittableRandom();

  /**
   * @param dense the column holds vector or halfvec (only those are perturbed; others are sampled
   *     as they are)
   * @param cosine zero vectors are left out (a cosine index does not hold them)
   */
  List<Probe> choose(
      Connection c, RegressionParams p, AnnQuery.Template t, boolean dense, boolean cosine)
      throws SQLException {
    if (p.source == Source.sql) {
      return fromQuery(c, p);
    }
    List<Probe> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(t.sql("sample_probes", 0).text());
        // the server's own text of a perturbed vector: halfvec rounds it, and the ground truth must
        // use what the index sees
        PreparedStatement normalise = c.prepareStatement("SELECT (?::" + t.type() + ")::text")) {
      ps.setInt(1, p.probes + (cosine ? 10 : 0));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && out.size() < p.probes) {
          String text = rs.getString("vector");
          if (dense) {
            float[] v = parse(text);
            if (cosine && norm(v) == 0) {
              continue;
            }
            if (p.source == Source.perturbed && p.perturbation > 0) {
              normalise.setString(1, format(perturb(v, p.perturbation)));
              try (ResultSet n = normalise.executeQuery()) {
                n.next();
                text = n.getString(1);
              }
            }
          }
          out.add(new Probe(text, rs.getString("tid")));
        }
      }
    }
    return out;
  }

  private static List<Probe> fromQuery(Connection c, RegressionParams p) throws SQLException {
    String query = SqlText.singleStatement(p.probeSql);
    if (query == null) {
      throw new SQLException(
          "params.probeSql must be one statement; it holds several (separated by ';')");
    }
    List<Probe> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("/* pgvector-ops:regression:probeSql */\n" + query)) {
      ps.setMaxRows(p.probes);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1) != null) {
            out.add(new Probe(rs.getString(1), null));
          }
        }
      }
    }
    return out;
  }

  /** Gaussian noise of a given share of the vector's length, spread over its dimensions. */
  float[] perturb(float[] v, double share) {
    double sigma = share * norm(v) / Math.sqrt(Math.max(1, v.length));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] + sigma * gaussian());
    }
    return out;
  }

  private double gaussian() {
    double u = random.nextDouble();
    double w = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  /** pgvector's text form: [1,2.5,-3]. */
  static float[] parse(String text) {
    String body = text.strip();
    body = body.substring(1, body.length() - 1);
    if (body.isBlank()) {
      return new float[0];
    }
    String[] parts = body.split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i].strip());
    }
    return out;
  }

  static String format(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 10).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(']').toString();
  }
}
