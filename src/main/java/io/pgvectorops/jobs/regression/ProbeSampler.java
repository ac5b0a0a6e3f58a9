package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionParams.Source;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.sql.SqlText;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
      Jdbc jdbc,
      Connection c,
      RegressionParams p,
      AnnQuery.Template t,
      boolean dense,
      boolean cosine) {
    if (p.source == Source.sql) {
      return fromQuery(jdbc, c, p);
    }
    record Sampled(String tid, String vector) {}
    List<Sampled> rows =
        jdbc.query(
            c,
            t.sql("sample_probes", 0),
            rs -> new Sampled(rs.getString("tid"), rs.getString("vector")),
            p.probes + (cosine ? 10 : 0));
    SqlFile normalise = SqlFile.load("regression/normalise_vector").with("type", t.type());
    List<Probe> out = new ArrayList<>();
    for (Sampled row : rows) {
      if (out.size() == p.probes) {
        break;
      }
      String text = row.vector();
      if (dense) {
        float[] v = parse(text);
        if (cosine && norm(v) == 0) {
          continue;
        }
        if (p.source == Source.perturbed && p.perturbation > 0) {
          text =
              jdbc.query(c, normalise, rs -> rs.getString(1), format(perturb(v, p.perturbation)))
                  .get(0);
        }
      }
      out.add(new Probe(text, row.tid()));
    }
    return out;
  }

  private static List<Probe> fromQuery(Jdbc jdbc, Connection c, RegressionParams p) {
    String query = SqlText.singleStatement(p.probeSql);
    if (query == null) {
      throw new IllegalArgumentException(
          "params.probeSql must be one statement; it holds several (separated by ';')");
    }
    return jdbc
        .queryAtMost(
            c,
            SqlFile.tagged("regression:probeSql", query),
            p.probes,
            rs -> rs.getString(1) == null ? null : new Probe(rs.getString(1), null))
        .stream()
        .filter(Objects::nonNull)
        .toList();
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
