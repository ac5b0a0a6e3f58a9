package io.pgvectorops.jobs.bloat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bloat job on real pgvector indexes: the layout model against fresh builds, then a churned
 * table whose estimate is checked against what REINDEX actually gives back. Steps build on each
 * other.
 */
@VectorSet
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BloatTest {
  static final String TABLE = "\"Team A\".\"Embeddings \"\"v2\"\"\"";
  static final String HNSW = "Team A.embeddings_hnsw";
  static TestPostgres.Database db;
  static Components c;
  static JobDefinition bloat;
  static JobDefinition health;
  static double estimateAfterChurn;
  static long sizeBeforeReindex;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("bloat");
    db.execute(
        "SELECT setseed(0.5)",
        "CREATE SCHEMA \"Team A\"",
        "CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, e vector(384))",
        "INSERT INTO " + TABLE + " (e) SELECT rv(384) FROM generate_series(1, 3000)",
        "CREATE INDEX embeddings_hnsw ON " + TABLE + " USING hnsw (e vector_l2_ops) WITH (m = 16)",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(128))",
        "INSERT INTO items (e) SELECT rv(128) FROM generate_series(1, 6000)",
        "CREATE INDEX items_ivf ON items USING ivfflat (e vector_l2_ops) WITH (lists = 30)",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_cosine_ops) WITH (m = 8)",
        // expression indexes as applications make them: 3072 dimensions indexed as halfvec (HNSW
        // on vector stops at 2,000), and pgvector's binary quantization
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(3072))",
        "INSERT INTO docs (e) SELECT rv(3072) FROM generate_series(1, 1500)",
        "CREATE INDEX docs_half ON docs USING hnsw ((e::halfvec(3072)) halfvec_cosine_ops)",
        "CREATE INDEX docs_bq ON docs USING hnsw ((binary_quantize(e)::bit(3072)) bit_hamming_ops)",
        // a table partitioned by tenant: one HNSW index per partition under a partitioned index
        "CREATE TABLE chunks (tenant int, id bigint, e vector(64)) PARTITION BY LIST (tenant)",
        "CREATE TABLE chunks_1 PARTITION OF chunks FOR VALUES IN (1)",
        "CREATE TABLE chunks_2 PARTITION OF chunks FOR VALUES IN (2)",
        "INSERT INTO chunks SELECT 1 + g % 2, g, rv(64) FROM generate_series(1, 4000) g",
        "CREATE INDEX chunks_hnsw ON chunks USING hnsw (e vector_l2_ops)",
        "VACUUM ANALYZE");
    c =
        Stack.withJobs(
            db,
            "bloat_state",
            dir,
            Map.of(
                "bloat.yml",
                "name: bloat\nkind: bloat\nschedule: '0 0 * * * ?'\n"
                    + "params:\n  minSize: 1MB\n  autovacuumLagMinutes: 1\n",
                "health.yml",
                "name: health\nkind: health\nschedule: '0 0 * * * ?'\n"));
    bloat = c.catalog.get("bloat").orElseThrow();
    health = c.catalog.get("health").orElseThrow();
    run(health);
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  static RunOutcome run(JobDefinition job) {
    RunOutcome o =
        c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    return o;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> estimate(RunOutcome o, String index) {
    return ((List<Map<String, Object>>) Summaries.of(o).get("estimates"))
        .stream().filter(e -> e.get("index").equals(index)).findFirst().orElseThrow();
  }

  static long size(String regclass) throws Exception {
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT pg_relation_size('" + regclass.replace("'", "''") + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @Order(1)
  void freshIndexesMatchTheLayoutModelWithinFivePercent() {
    RunOutcome o = run(bloat);
    for (String index :
        new String[] {
          HNSW,
          "public.items_ivf",
          "public.items_hnsw",
          "public.docs_half",
          "public.chunks_1_e_idx",
          "public.chunks_2_e_idx"
        }) {
      Map<String, Object> e = estimate(o, index);
      double actual = ((Number) e.get("actualBytes")).doubleValue();
      double expected = ((Number) e.get("expectedBytes")).doubleValue();
      System.out.printf(
          "BloatTest: %s model %.0f bytes, actual %.0f bytes%n", index, expected, actual);
      assertThat(expected)
          .as(index + " model vs actual " + actual)
          .isCloseTo(actual, within(actual * 0.05));
    }
    // the partitioned index has no storage of its own: it is the sum of its partitions
    Map<String, Object> parent = estimate(o, "public.chunks_hnsw");
    for (String figure : new String[] {"actualBytes", "expectedBytes"}) {
      assertThat(((Number) parent.get(figure)).longValue())
          .as("chunks_hnsw " + figure)
          .isEqualTo(
              ((Number) estimate(o, "public.chunks_1_e_idx").get(figure)).longValue()
                  + ((Number) estimate(o, "public.chunks_2_e_idx").get(figure)).longValue());
    }
    // binary quantization is modelled, not yet within 5%: the model expects 1032192 bytes for
    // 786432 (it overestimates, so it never reports false bloat); see docs/jobs/bloat.md
    Map<String, Object> bq = estimate(o, "public.docs_bq");
    assertThat(((Number) bq.get("expectedBytes")).longValue())
        .isGreaterThanOrEqualTo(((Number) bq.get("actualBytes")).longValue());
    assertThat(o.findings()).extracting(Finding::kind).doesNotContain("index-bloat", "table-bloat");
    assertThat((int) Summaries.of(o).get("statements")).isLessThanOrEqualTo(8);
  }

  @Test
  @Order(2)
  void deletingHalfTheRowsShowsAsDeadTuplesThenAsIndexBloatAfterVacuum() throws Exception {
    db.execute("DELETE FROM " + TABLE + " WHERE id % 2 = 0");
    awaitDeadTuples();
    RunOutcome before = run(bloat);
    assertThat(before.findings())
        .anySatisfy(
            f -> {
              assertThat(f.object()).isEqualTo("Team A.Embeddings \"v2\"");
              assertThat(f.kind()).isEqualTo("table-bloat");
              assertThat((String) f.metrics().get("method")).contains("pgstattuple_approx");
            });
    // the graph keeps the deleted elements until VACUUM, and its pages after it
    db.execute("VACUUM ANALYZE " + TABLE);
    RunOutcome after = run(bloat);
    Finding f =
        after.findings().stream().filter(x -> x.object().equals(HNSW)).findFirst().orElseThrow();
    assertThat(f.kind()).isEqualTo("index-bloat");
    assertThat(f.severity()).isEqualTo(Finding.Severity.warning);
    assertThat(f.metrics()).containsEntry("method", BloatJob.MODEL);
    assertThat(f.message()).contains("REINDEX INDEX CONCURRENTLY");
    assertThat(after.findings()).noneMatch(x -> x.kind().equals("table-bloat"));
    estimateAfterChurn = ((Number) f.metrics().get("ratio")).doubleValue();
    sizeBeforeReindex = size(TABLE.replace(".\"Embeddings \"\"v2\"\"\"", ".embeddings_hnsw"));
    // and the API shows it with the inventory
    VectorIndex inv =
        c.inventory.indexes("main").stream()
            .filter(i -> i.name().equals("embeddings_hnsw"))
            .findFirst()
            .orElseThrow();
    assertThat(inv.bloat().ratio()).isEqualTo(estimateAfterChurn, within(0.001));
    assertThat(inv.bloat().method()).isEqualTo(BloatJob.MODEL);
  }

  @Test
  @Order(3)
  void theEstimateIsWithinTenPointsOfWhatReindexGivesBackAndTheFindingResolves() throws Exception {
    db.execute("REINDEX INDEX CONCURRENTLY \"Team A\".embeddings_hnsw");
    long sizeAfter = size("\"Team A\".embeddings_hnsw");
    double real = 1 - (double) sizeAfter / sizeBeforeReindex;
    System.out.printf(
        "BloatTest: HNSW after deleting half the rows and VACUUM: estimated %.3f, real %.3f"
            + " (%d -> %d bytes after REINDEX)%n",
        estimateAfterChurn, real, sizeBeforeReindex, sizeAfter);
    assertThat(estimateAfterChurn)
        .as("estimated vs real bloat (" + sizeBeforeReindex + " -> " + sizeAfter + ")")
        .isCloseTo(real, within(0.10));
    run(bloat);
    List<FindingRecord> resolved = c.findings.list(false, "main", "bloat", 50);
    assertThat(resolved)
        .anySatisfy(
            x -> {
              assertThat(x.object()).isEqualTo(HNSW);
              assertThat(x.kind()).isEqualTo("index-bloat");
            });
    assertThat(c.findings.list(true, "main", "bloat", 50)).noneMatch(x -> x.object().equals(HNSW));
  }

  @Test
  @Order(4)
  void leftoversOfAFailedReindexConcurrentlyAreReported() throws Exception {
    db.execute(
        "CREATE INDEX items_id_ccnew ON items (id)",
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'items_id_ccnew'::regclass");
    RunOutcome o = run(bloat);
    assertThat(o.findings())
        .anySatisfy(
            f -> {
              assertThat(f.object()).isEqualTo("public.items_id_ccnew");
              assertThat(f.kind()).isEqualTo("reindex-leftover");
              assertThat(f.message()).contains("DROP INDEX CONCURRENTLY");
            });
    db.execute("DROP INDEX items_id_ccnew");
  }

  @Test
  @Order(5)
  void withoutPgstattupleTheStatisticsAreUsedAndSaidSo() throws Exception {
    db.execute("DROP EXTENSION pgstattuple");
    try {
      RunOutcome o = run(bloat);
      assertThat((String) Summaries.of(o).get("tableMethod")).startsWith("pg_stat_user_tables");
      assertThat(estimate(o, "public.items_ivf")).isNotNull();
    } finally {
      db.execute("CREATE EXTENSION pgstattuple");
    }
  }

  /** The statistics collector publishes counts asynchronously. */
  static void awaitDeadTuples() throws Exception {
    await("dead tuples reported")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try (Connection conn = db.connect();
                  Statement s = conn.createStatement();
                  ResultSet rs =
                      s.executeQuery(
                          "SELECT n_dead_tup FROM pg_stat_user_tables"
                              + " WHERE relname = 'Embeddings \"v2\"'")) {
                return rs.next() && rs.getLong(1) > 0;
              }
            });
  }
}
