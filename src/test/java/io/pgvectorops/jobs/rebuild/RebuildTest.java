package io.pgvectorops.jobs.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.MaintenanceWindow;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The index-rebuild job on real pgvector indexes, with an application working meanwhile. */
@VectorSet
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildTest {
  static final String TABLE = "\"Team A\".\"Docs \"\"v2\"\"\"";
  static final String HNSW = "\"Team A\".docs_hnsw";
  static TestPostgres.Database db;
  static Components c;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("rebuild");
    db.execute(
        "SELECT setseed(0.25)",
        "CREATE SCHEMA \"Team A\"",
        "CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, e vector(128))",
        "INSERT INTO " + TABLE + " (e) SELECT rv(128) FROM generate_series(1, 4000)",
        "CREATE INDEX docs_hnsw ON " + TABLE + " USING hnsw (e vector_l2_ops) WITH (m = 16)",
        // churn: half the vectors re-embedded, the graph keeps the old elements
        "UPDATE " + TABLE + " SET e = rv(128) WHERE id % 2 = 0",
        "ANALYZE " + TABLE,
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(16))",
        "INSERT INTO items (e) SELECT rv(16) FROM generate_series(1, 20000)",
        "CREATE INDEX items_ivf ON items USING ivfflat (e vector_l2_ops) WITH (lists = 2)",
        "ANALYZE items");
    c =
        Stack.withJobs(
            db,
            "rebuild_state",
            dir,
            Map.of(
                "rebuild.yml",
                    "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
                        + "params:\n  minBloatRatio: 0.2\n  minSize: 1MB\n  lockTimeout: 2s\n  oldTransaction: 5s\n"
                        + "  maxParallelWorkers: 1\n  relistIvfflat: false\n",
                "relist.yml",
                    "name: relist\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
                        + "params:\n  minBloatRatio: 0.9\n  relistIvfflat: true\n  lockTimeout: 2s\n  oldTransaction: 5s\n",
                "tight.yml",
                    "name: tight\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
                        + "params:\n  indexes: ['Team A.docs_hnsw']\n  maxMaintenanceWorkMem: 2MiB\n"
                        + "  maxParallelWorkers: 0\n  relistIvfflat: false\n  lockTimeout: 2s\n"));
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  static RunOutcome run(String name, Trigger trigger, boolean dryRun) {
    return run(c.catalog.get(name).orElseThrow(), trigger, dryRun);
  }

  static RunOutcome run(JobDefinition job, Trigger trigger, boolean dryRun) {
    return c.runner.run(job, c.targets.get("main").orElseThrow(), trigger, null, dryRun);
  }

  static long queryLong(String sql) throws SQLException {
    return db.queryLong(sql);
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(RunOutcome o, String key) {
    return (List<String>) Summaries.of(o).get(key);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(RunOutcome o, String key) {
    return (List<Map<String, Object>>) Summaries.of(o).get(key);
  }

  @Test
  @Order(1)
  void aDryRunListsTheChurnedIndexAndChangesNothing() throws Exception {
    long oid = queryLong("SELECT '" + HNSW + "'::regclass::oid::bigint");
    RunOutcome o = run("rebuild", Trigger.manual, true);
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    assertThat(list(o, "candidates"))
        .singleElement()
        .satisfies(
            cand -> {
              assertThat(cand.get("index")).isEqualTo("Team A.docs_hnsw");
              assertThat((String) cand.get("reason")).startsWith("estimated bloat");
              assertThat((String) cand.get("action")).isEqualTo("REINDEX INDEX CONCURRENTLY");
              assertThat(cand).containsKeys("settings", "estimatedSeconds");
              // never rebuilt yet: the job's default speed, and it says so
              assertThat((String) cand.get("estimatedFrom"))
                  .startsWith("estimatedBytesPerSecond ")
                  .endsWith("/s (no rebuild of it recorded)");
            });
    // the graph of 4,000 elements fits under the default cap: nothing says the build will be slow
    assertThat(Summaries.of(o).get("precautions").toString()).doesNotContain("graph needs");
    assertThat(queryLong("SELECT '" + HNSW + "'::regclass::oid::bigint")).isEqualTo(oid);
  }

  @Test
  @Order(2)
  void scheduledRunsOutsideTheWindowAndRebuildsThatWouldOutlastItWait() {
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    JobDefinition d = c.catalog.get("rebuild").orElseThrow();
    JobDefinition closed =
        new JobDefinition(
            d.name(),
            d.kind(),
            d.schedule(),
            d.targets(),
            d.selection(),
            new MaintenanceWindow(now.plusHours(1), now.plusHours(2), ZoneOffset.UTC),
            false,
            d.params(),
            d.file(),
            null);
    assertThat(run(closed, Trigger.schedule, false).status()).isEqualTo(RunStatus.skipped);
    RebuildParams slow = new RebuildParams();
    slow.minBloatRatio = 0.2;
    slow.minSize = io.dropwizard.util.DataSize.megabytes(1);
    slow.estimatedBytesPerSecond = io.dropwizard.util.DataSize.bytes(1);
    slow.relistIvfflat = false;
    JobDefinition closing =
        new JobDefinition(
            d.name(),
            d.kind(),
            d.schedule(),
            d.targets(),
            d.selection(),
            new MaintenanceWindow(now.minusMinutes(5), now.plusMinutes(1), ZoneOffset.UTC),
            false,
            slow,
            d.file(),
            null);
    RunOutcome o = run(closing, Trigger.schedule, false);
    assertThat(list(o, "postponed"))
        .singleElement()
        .satisfies(
            p ->
                assertThat((String) p.get("reason"))
                    .contains("(from estimatedBytesPerSecond 1 B/s")
                    .contains("would not end before the window closes"));
    assertThat(list(o, "rebuilt")).isEmpty();
  }

  @Test
  @Order(3)
  void theChurnedIndexIsRebuiltWhileTheApplicationKeepsWorking() throws Exception {
    long before = queryLong("SELECT pg_relation_size('" + HNSW + "')");
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicLong slowestMillis = new AtomicLong();
    AtomicLong queries = new AtomicLong();
    AtomicBoolean alwaysValid = new AtomicBoolean(true);
    AtomicLong validityReads = new AtomicLong();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () ->
                loop(
                    stop,
                    errors,
                    slowestMillis,
                    queries,
                    "INSERT INTO " + TABLE + " (e) SELECT rv(128)"));
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () ->
                loop(
                    stop,
                    errors,
                    slowestMillis,
                    queries,
                    "SELECT id FROM " + TABLE + " ORDER BY e <-> (SELECT rv(128)) LIMIT 10"));
    CompletableFuture<Void> validity =
        CompletableFuture.runAsync(
            () -> {
              try (Connection conn = db.connect();
                  Statement s = conn.createStatement()) {
                while (!stop.get()) {
                  // the name is looked up in the same snapshot as the flag: a regclass literal
                  // is resolved when the statement is parsed, and REINDEX CONCURRENTLY may swap
                  // the names and mark the old index dead before the statement reads pg_index
                  try (ResultSet rs =
                      s.executeQuery(
                          "SELECT i.indisvalid FROM pg_index i"
                              + " JOIN pg_class c ON c.oid = i.indexrelid"
                              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                              + " WHERE ARRAY[n.nspname, c.relname]::text[] = parse_ident('"
                              + HNSW.replace("'", "''")
                              + "')")) {
                    if (rs.next()) {
                      validityReads.incrementAndGet();
                      if (!rs.getBoolean(1)) {
                        alwaysValid.set(false);
                      }
                    }
                  }
                  Thread.sleep(20); // pacing of the probe, not a wait
                }
              } catch (Exception e) {
                errors.add("validity probe: " + e.getMessage());
              }
            });
    RunOutcome o;
    try {
      long started = awaitMoreQueries(queries, 0, errors);
      o = run("rebuild", Trigger.manual, false);
      // the application still works after the rebuild, not only during it
      awaitMoreQueries(queries, Math.max(started, queries.get()), errors);
    } finally {
      stop.set(true);
      CompletableFuture.allOf(writer, reader, validity).join();
    }
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    Map<String, Object> rebuilt = list(o, "rebuilt").get(0);
    assertThat(rebuilt).as(rebuilt.toString()).doesNotContainKey("error");
    assertThat(rebuilt).as("the graph fit in memory: no notice").doesNotContainKey("notices");
    long after = queryLong("SELECT pg_relation_size('" + HNSW + "')");
    System.out.printf(
        "RebuildTest: %s %d -> %d bytes in %s s; %d application statements, slowest %d ms%n",
        HNSW, before, after, rebuilt.get("seconds"), queries.get(), slowestMillis.get());
    assertThat(after).isLessThan(before);
    assertThat(errors).isEmpty();
    assertThat(alwaysValid).isTrue();
    assertThat(validityReads.get()).as("the validity probe found the index").isPositive();
    assertThat(queries.get()).isPositive();
    // no application statement waited on the rebuild longer than its lock timeout (2 s) plus a
    // margin
    assertThat(slowestMillis.get()).isLessThan(2000 + 1500);
    assertThat(o.findings()).isEmpty();
    // the build's progress was published to the run record, as GET /api/runs/{id} shows it
    var progress = c.runs.get(o.runId()).orElseThrow().progress();
    assertThat(progress.get("index").asText()).isEqualTo("Team A.docs_hnsw");
    assertThat(progress.get("phase").asText()).isNotBlank();
    assertThat(progress.has("blocksDone")).isTrue();
  }

  /** Waits until the application's writer and reader ran more statements than {@code than}. */
  private static long awaitMoreQueries(
      AtomicLong queries, long than, ConcurrentLinkedQueue<String> errors) {
    org.awaitility.Awaitility.await("the application's statements to run")
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> queries.get() > than + 2 || !errors.isEmpty());
    return queries.get();
  }

  private static void loop(
      AtomicBoolean stop,
      ConcurrentLinkedQueue<String> errors,
      AtomicLong slowest,
      AtomicLong count,
      String sql) {
    try (Connection conn = db.connect();
        Statement s = conn.createStatement()) {
      while (!stop.get()) {
        long t = System.nanoTime();
        s.execute(sql);
        slowest.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
        count.incrementAndGet();
        Thread.sleep(10); // pacing: an application sends statements, not a flood
      }
    } catch (Exception e) {
      errors.add(sql + ": " + e.getMessage());
    }
  }

  @Test
  @Order(4)
  void aCancelledReindexLeavesACcnewThatTheNextRunDropsAndOtherInvalidIndexesAreLeftAlone()
      throws Exception {
    // an application's failed CREATE INDEX CONCURRENTLY: invalid, not a leftover of ours
    db.execute(
        "CREATE INDEX app_failed_hnsw ON " + TABLE + " USING hnsw (e vector_cosine_ops)",
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = '\"Team A\".app_failed_hnsw'::regclass");
    // what a daemon killed during REINDEX CONCURRENTLY leaves behind
    CompletableFuture<String> reindex =
        CompletableFuture.supplyAsync(
            () -> {
              try (Connection conn = db.connect();
                  Statement s = conn.createStatement()) {
                s.execute("SET maintenance_work_mem = '1MB'");
                s.execute("REINDEX INDEX CONCURRENTLY " + HNSW);
                return "finished";
              } catch (SQLException e) {
                return e.getSQLState();
              }
            });
    await("the REINDEX building")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                reindex.isDone()
                    || queryLong(
                            "SELECT count(*) FROM pg_stat_progress_create_index"
                                + " WHERE phase LIKE 'building%'")
                        > 0);
    db.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_progress_create_index");
    assertThat(reindex.join()).isEqualTo("57014");
    assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'docs_hnsw_ccnew%'"))
        .isEqualTo(1);

    RunOutcome o = run("rebuild", Trigger.manual, false);
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    assertThat(strings(o, "droppedLeftovers")).containsExactly("Team A.docs_hnsw_ccnew");
    assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'docs_hnsw_ccnew%'"))
        .isZero();
    assertThat(list(o, "notNow"))
        .anySatisfy(
            n -> {
              assertThat(n.get("index")).isEqualTo("Team A.app_failed_hnsw");
              assertThat((String) n.get("reason")).contains("not a REINDEX leftover");
            });
    assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname = 'app_failed_hnsw'"))
        .isEqualTo(1);
    assertThat(
            queryLong(
                "SELECT count(*) FROM pg_index WHERE indexrelid = '"
                    + HNSW
                    + "'::regclass AND indisvalid"))
        .isEqualTo(1);
    db.execute("DROP INDEX \"Team A\".app_failed_hnsw");
  }

  @Test
  @Order(5)
  void anIndexWhoseBuildIsRunningIsLeftAlone() throws Exception {
    db.execute(
        "CREATE TABLE building (id int, e vector(3))", "INSERT INTO building SELECT 1, '[1,2,3]'");
    try (Connection writer = db.connect();
        Statement w = writer.createStatement()) {
      writer.setAutoCommit(false);
      w.execute("INSERT INTO building VALUES (2, '[1,1,1]')"); // the build waits for this writer
      CompletableFuture<Void> build =
          CompletableFuture.runAsync(
              () -> {
                try {
                  db.execute(
                      "CREATE INDEX CONCURRENTLY building_ccnew ON building USING hnsw (e vector_l2_ops)");
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await("the application's build to start")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  queryLong("SELECT count(*) FROM pg_class WHERE relname = 'building_ccnew'") > 0);
      RunOutcome o = run("rebuild", Trigger.manual, false);
      assertThat(strings(o, "droppedLeftovers")).doesNotContain("public.building_ccnew");
      assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname = 'building_ccnew'"))
          .isEqualTo(1);
      writer.commit();
      build.join();
    }
    assertThat(
            queryLong(
                "SELECT count(*) FROM pg_index WHERE indexrelid = 'building_ccnew'::regclass AND indisvalid"))
        .isEqualTo(1);
  }

  @Test
  @Order(6)
  void anIvfflatIndexWithDriftedListsIsRebuiltBesideItAndSwapped() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (Connection conn = db.connect();
                  Statement s = conn.createStatement()) {
                s.execute("SET enable_seqscan = off");
                while (!stop.get()) {
                  try (ResultSet rs =
                      s.executeQuery(
                          "EXPLAIN SELECT id FROM items ORDER BY e <-> (SELECT rv(16)) LIMIT 5")) {
                    StringBuilder plan = new StringBuilder();
                    while (rs.next()) {
                      plan.append(rs.getString(1)).append('\n');
                    }
                    if (!plan.toString().contains("Index Scan using items_ivf")) {
                      errors.add("not served by an items_ivf index: " + plan);
                    }
                  }
                  Thread.sleep(5); // pacing of the probe, not a wait
                }
              } catch (Exception e) {
                errors.add(e.getMessage());
              }
            });
    RunOutcome o;
    try {
      o = run("relist", Trigger.manual, false);
    } finally {
      stop.set(true);
      reader.join();
    }
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    assertThat(list(o, "rebuilt"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("index")).isEqualTo("public.items_ivf");
              assertThat((String) r.get("reason")).contains("lists = 2").contains("is 20");
              assertThat(r).doesNotContainKey("error");
            });
    assertThat(errors).isEmpty();
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT array_to_string(reloptions, ','), (SELECT count(*) FROM pg_class WHERE relname LIKE 'items_ivf%')"
                    + " FROM pg_class WHERE relname = 'items_ivf'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("lists=20");
      assertThat(rs.getInt(2)).isEqualTo(1);
    }
    assertThat(o.findings()).extracting(Finding::kind).doesNotContain("rebuild-failed");
  }

  @Test
  @Order(7)
  void aGraphLargerThanTheMemoryCapIsSaidBeforehandAndTheServersNoticeIsKept() {
    RunOutcome dry = run("tight", Trigger.manual, true);
    String expected =
        "Team A.docs_hnsw: its HNSW graph needs about [0-9]+MB of maintenance_work_mem;"
            + " maxMaintenanceWorkMem \\(2 mebibytes\\) gives it 2MB";
    assertThat(Summaries.of(dry).get("precautions").toString()).containsPattern(expected);
    // rebuilt by an earlier run: the estimate comes from that rebuild's speed
    assertThat((String) list(dry, "candidates").get(0).get("estimatedFrom"))
        .matches("its rebuild by run [0-9]+: [0-9]+ s for .*");

    RunOutcome o = run("tight", Trigger.manual, false);
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    assertThat(Summaries.of(o).get("precautions").toString()).containsPattern(expected);
    Map<String, Object> rebuilt = list(o, "rebuilt").get(0);
    assertThat(rebuilt.get("settings").toString()).contains("maintenance_work_mem=2MB");
    assertThat(rebuilt.get("notices").toString())
        .as(rebuilt.toString())
        .contains("hnsw graph no longer fits into maintenance_work_mem after");
  }
}
