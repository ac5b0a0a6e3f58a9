package io.pgvectorops.jobs.slowqueries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** pg_stat_statements deltas and scan counters on a real server; steps build on each other. */
@VectorSet
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowQueriesTest {
  static final String TABLE = "\"Team A\".\"Embeddings \"\"v2\"\"\"";
  static TestPostgres.Database db;
  static Components c;
  static JobDefinition job;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("slowq");
    db.execute(
        "CREATE SCHEMA \"Team A\"",
        "CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, e vector(64))",
        "INSERT INTO "
            + TABLE
            + " (e) SELECT array_fill(random()::real, ARRAY[64])::vector FROM generate_series(1, 30000)",
        "CREATE INDEX emb_hnsw ON "
            + TABLE
            + " USING hnsw (e vector_l2_ops) WITH (m = 4, ef_construction = 8)",
        "VACUUM ANALYZE " + TABLE);
    c =
        Stack.withJobs(
            db,
            "slowq_state",
            dir,
            Map.of(
                "slow.yml",
                "name: slow\nkind: slow-queries\nschedule: '0 0 * * * ?'\n"
                    + "params:\n  vectorMeanMs: 1\n  vectorMinCalls: 5\n  seqScanMinTableSize: 1MB\n  longRunning: 2s\n"
                    + "  retention: 0s\n"));
    job = c.catalog.get("slow").orElseThrow();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  static RunOutcome run() {
    return c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
  }

  /** The KNN search an application runs when the planner cannot use the index. */
  static void seqScanSearches(int n) throws Exception {
    try (Connection conn = db.connect();
        Statement s = conn.createStatement()) {
      s.execute("SET enable_indexscan = off");
      for (int i = 0; i < n; i++) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT id FROM "
                    + TABLE
                    + " ORDER BY e <-> (SELECT array_fill("
                    + (i + 1)
                    + "::real, ARRAY[64])::vector) LIMIT 10")) {
          while (rs.next()) {
            // read the result like an application would
          }
        }
      }
    }
  }

  static long seqScans() throws Exception {
    return scanCounter("seq_scan");
  }

  static long indexScans() throws Exception {
    return scanCounter("idx_scan");
  }

  /** One of the table's scan counters in pg_stat_user_tables. */
  private static long scanCounter(String column) throws Exception {
    return db.queryLong(
        "SELECT " + column + " FROM pg_stat_user_tables WHERE relname = 'Embeddings \"v2\"'");
  }

  static void awaitSeqScansAbove(long n) throws Exception {
    await("sequential scans above " + n)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> seqScans() > n);
  }

  @Test
  @Order(1)
  void theFirstRunIsABaseline() {
    RunOutcome o = run();
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    assertThat((String) Summaries.of(o).get("baseline")).contains("first run");
    assertThat(o.findings()).isEmpty();
  }

  @Test
  @Order(2)
  void seqScanKnnSearchesAreASlowVectorQueryAndASeqScanFinding() throws Exception {
    long before = seqScans();
    seqScanSearches(8);
    awaitSeqScansAbove(before);
    RunOutcome o = run();
    assertThat(o.status()).isEqualTo(RunStatus.succeeded);
    assertThat(o.findings())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo("slow-vector-query");
              assertThat((String) f.metrics().get("query")).contains("<->");
              assertThat(((Number) f.metrics().get("calls")).longValue()).isEqualTo(8);
            });
    assertThat(o.findings())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo("vector-table-seq-scan");
              assertThat(f.object()).isEqualTo("Team A.Embeddings \"v2\"");
              assertThat(f.message()).contains("may not be using the index").contains("<->");
            });
  }

  @Test
  @Order(3)
  void anIntervalWithoutSearchesKeepsWhatThePreviousRunFound() {
    RunOutcome o = run();
    assertThat(o.status()).isEqualTo(RunStatus.succeeded);
    assertThat(o.findings())
        .filteredOn(f -> f.kind().equals("vector-table-seq-scan"))
        .singleElement()
        .satisfies(f -> assertThat(f.metrics()).containsKey("quietSince"));
    assertThat(o.findings())
        .filteredOn(f -> f.kind().equals("slow-vector-query"))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.metrics()).containsKey("quietSince"));
  }

  @Test
  @Order(4)
  void searchesTheIndexServesResolveTheSeqScanFinding() throws Exception {
    long before = indexScans();
    try (Connection conn = db.connect();
        Statement s = conn.createStatement()) {
      for (int i = 0; i < 3; i++) {
        s.executeQuery(
                "SELECT id FROM "
                    + TABLE
                    + " ORDER BY e <-> (SELECT array_fill("
                    + (i + 1)
                    + "::real, ARRAY[64])::vector) LIMIT 10")
            .close();
      }
    }
    await("index scans above " + before)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> indexScans() > before);
    RunOutcome o = run();
    assertThat(o.status()).isEqualTo(RunStatus.succeeded);
    assertThat(o.findings()).noneMatch(f -> f.kind().equals("vector-table-seq-scan"));
  }

  @Test
  @Order(5)
  void aResetBetweenRunsStartsANewBaselineWithoutFalseFindings() throws Exception {
    seqScanSearches(8);
    db.execute("SELECT pg_stat_statements_reset()");
    db.execute("SELECT 1");
    RunOutcome o = run();
    assertThat(o.status()).isEqualTo(RunStatus.succeeded);
    // pg_stat_statements_info (PostgreSQL 14+) says when; before it, the counters going down do
    assertThat((String) Summaries.of(o).get("baseline"))
        .contains(
            db.hasView("pg_stat_statements_info")
                ? "pg_stat_statements was reset"
                : "most counters went down (a reset without pg_stat_statements_info)");
    assertThat(o.findings()).noneMatch(f -> f.kind().startsWith("slow"));
    // and only the latest snapshot is kept (retention 0s)
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(DISTINCT taken_at) FROM slowq_state.statement_snapshot")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  @Order(6)
  void longStatementsAndIdleTransactionsHoldingVectorTablesAreFound() throws Exception {
    try (Connection idle = db.connect();
        Statement s = idle.createStatement()) {
      idle.setAutoCommit(false);
      s.executeQuery("SELECT id FROM " + TABLE + " LIMIT 1").close();
      CompletableFuture<Void> sleeper =
          CompletableFuture.runAsync(
              () -> {
                try {
                  db.execute("SELECT pg_sleep(6)");
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      // past the job's longRunning (2s), seen by the server itself
      db.awaitRunning("SELECT pg_sleep(6)", java.time.Duration.ofMillis(2200));
      RunOutcome o = run();
      assertThat(o.findings())
          .anySatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo("long-running-statement");
                assertThat((String) f.metrics().get("query")).contains("pg_sleep");
              });
      assertThat(o.findings())
          .anySatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo("idle-in-transaction");
                assertThat((String) f.metrics().get("vectorTables")).contains("Embeddings \"v2\"");
              });
      idle.rollback();
      sleeper.join();
    }
  }

  @Test
  @Order(7)
  void withoutTheExtensionTheRunIsSkippedWithTheFix() throws Exception {
    db.execute("DROP EXTENSION pg_stat_statements");
    try {
      RunOutcome o = run();
      assertThat(o.status()).isEqualTo(RunStatus.skipped);
      assertThat(o.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo("extension-missing");
                assertThat(f.message()).contains("CREATE EXTENSION pg_stat_statements");
              });
      assertThat(c.findings.list(true, "main", "slow", 10))
          .anySatisfy(f -> assertThat(f.kind()).isEqualTo("extension-missing"));
    } finally {
      db.execute("CREATE EXTENSION pg_stat_statements");
    }
  }
}
