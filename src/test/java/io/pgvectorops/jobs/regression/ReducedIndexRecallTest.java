package io.pgvectorops.jobs.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexes of a reduced form (binary quantization, a subvector): the regression job's recall of the
 * index and after re-ranking, against a computation written here from scratch: every row read once,
 * quantized and compared in plain Java, the index queried the way pgvector's README writes it.
 */
@VectorSet
class ReducedIndexRecallTest {
  private static final int K = 10;
  private static final int DIMS = 256;

  @TempDir Path dir;

  /** A row as read here: its ctid and its full vector. */
  private record Row(String tid, double[] v) {}

  @Test
  void binaryQuantizationIsMeasuredOnTheIndexExpressionAndAfterReRanking() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("rerank_bq");
    db.execute(
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(" + DIMS + "))",
        // centred values: binary_quantize keeps the sign of each dimension
        "INSERT INTO docs (e) SELECT (SELECT array_agg(random() - 0.5) FROM generate_series(1, "
            + DIMS
            + ") WHERE g > 0)::vector FROM generate_series(1, 3000) g",
        "CREATE INDEX docs_bq ON docs USING hnsw ((binary_quantize(e)::bit("
            + DIMS
            + ")) bit_hamming_ops)",
        "ANALYZE docs");
    String job =
        "name: regression\nkind: regression\nschedule: '0 0 * * * ?'\n"
            + "params:\n  probes: 25\n  sweep: false\n  repetitions: 1\n  indexes:\n"
            + "    - {index: docs_bq, rerankCandidates: 30}\n";
    try (Components c = Stack.withJobs(db, "rerank_bq_state", dir, Map.of("regression.yml", job))) {
      Map<String, Object> measured =
          RegressionTest.set(RegressionTest.run(c, "regression"), "public.docs_bq", "all rows");
      @SuppressWarnings("unchecked")
      Map<String, Object> rerank = (Map<String, Object>) measured.get("rerank");
      assertThat(rerank).containsEntry("operator", "<=>").containsEntry("candidates", 30);

      List<RegressionStore.Probe> probes =
          RegressionStores.of(c)
              .probes(
                  RegressionStores.of(c)
                      .liveProbeSet("main", "public.docs_bq", "all rows")
                      .orElseThrow()
                      .id());
      assertThat(probes).hasSize(25).allSatisfy(p -> assertThat(p.vector()).startsWith("["));
      List<Row> rows = rows(db);
      double indexSum = 0;
      double rerankSum = 0;
      try (Connection conn = db.connect()) {
        for (RegressionStore.Probe p : probes) {
          double[] q = parse(p.vector());
          indexSum += indexRecall(conn, rows, p, q);
          rerankSum += rerankRecall(conn, rows, p, q, 30);
        }
      }
      double indexRecall = indexSum / probes.size();
      double rerankRecall = rerankSum / probes.size();
      assertThat(((Number) measured.get("recall")).doubleValue())
          .isCloseTo(indexRecall, within(0.001));
      assertThat(((Number) rerank.get("recall")).doubleValue())
          .isCloseTo(rerankRecall, within(0.001));
      // re-ranking 30 candidates by the full vectors is not the same figure as the index's own
      assertThat(rerankRecall).isNotCloseTo(indexRecall, within(0.01));
      assertThat(
              RegressionStores.of(c).series("main", "public.docs_bq", java.time.Instant.EPOCH, 10))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.point().rerank().path("recall").asDouble())
                      .isCloseTo(rerankRecall, within(0.001)));
    }
  }

  private static double indexRecall(
      Connection conn, List<Row> rows, RegressionStore.Probe p, double[] q) throws Exception {
    double[] exact = exact(rows, p, v -> hamming(q, v));
    // as the README writes it: ORDER BY binary_quantize(e)::bit(n) <~> binary_quantize(query)
    List<String> tids =
        tids(
            conn,
            "SELECT ctid::text FROM docs ORDER BY binary_quantize(e)::bit("
                + DIMS
                + ") <~> binary_quantize(?::vector) LIMIT "
                + (K + 1),
            p);
    Map<String, double[]> byTid = byTid(rows);
    return hits(exact, tids.stream().mapToDouble(t -> hamming(q, byTid.get(t))).toArray());
  }

  private static double rerankRecall(
      Connection conn, List<Row> rows, RegressionStore.Probe p, double[] q, int candidates)
      throws Exception {
    double[] exact = exact(rows, p, v -> cosine(q, v));
    // the README's two-stage query; one candidate more, since the probe's own row is one of them
    List<String> tids =
        tids(
            conn,
            "SELECT ctid::text FROM (SELECT ctid, e FROM docs ORDER BY binary_quantize(e)::bit("
                + DIMS
                + ") <~> binary_quantize(?::vector) LIMIT "
                + (candidates + 1)
                + ") s ORDER BY e <=> ?::vector LIMIT "
                + (K + 1),
            p,
            p.vector());
    Map<String, double[]> byTid = byTid(rows);
    return hits(exact, tids.stream().mapToDouble(t -> cosine(q, byTid.get(t))).toArray());
  }

  /** The K smallest distances to the probe over every row but its own. */
  private static double[] exact(
      List<Row> rows, RegressionStore.Probe p, java.util.function.ToDoubleFunction<double[]> d) {
    return rows.stream()
        .filter(r -> !r.tid().equals(p.sourceTid()))
        .mapToDouble(r -> d.applyAsDouble(r.v()))
        .sorted()
        .limit(K)
        .toArray();
  }

  /** The rows a query returns, the probe's own row left out, at most K. */
  private static List<String> tids(
      Connection conn, String sql, RegressionStore.Probe p, String... more) throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, p.vector());
      for (int i = 0; i < more.length; i++) {
        ps.setString(i + 2, more[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!rs.getString(1).equals(p.sourceTid()) && out.size() < K) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }

  /** A hit is a returned row no farther than the k-th exact neighbour (ties all count). */
  private static double hits(double[] exact, double[] returned) {
    double limit = exact[exact.length - 1] + 1e-6;
    return Arrays.stream(returned).filter(d -> d <= limit).count() / (double) exact.length;
  }

  private static double hamming(double[] a, double[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += (a[i] > 0) != (b[i] > 0) ? 1 : 0;
    }
    return d;
  }

  private static double cosine(double[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return 1 - dot / Math.sqrt(na * nb);
  }

  private static List<Row> rows(TestPostgres.Database db) throws Exception {
    List<Row> out = new ArrayList<>();
    try (Connection conn = db.connect();
        PreparedStatement ps = conn.prepareStatement("SELECT ctid::text, e::text FROM docs");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Row(rs.getString(1), parse(rs.getString(2))));
      }
    }
    return out;
  }

  private static Map<String, double[]> byTid(List<Row> rows) {
    Map<String, double[]> out = new HashMap<>();
    rows.forEach(r -> out.put(r.tid(), r.v()));
    return out;
  }

  private static double[] parse(String text) {
    return Arrays.stream(text.substring(1, text.length() - 1).split(","))
        .mapToDouble(Double::parseDouble)
        .toArray();
  }
}
