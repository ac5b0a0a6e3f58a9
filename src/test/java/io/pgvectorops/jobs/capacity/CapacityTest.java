package io.pgvectorops.jobs.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.jobs.capacity.CapacityJob.CapacitySummary;
import io.pgvectorops.jobs.capacity.CapacityJob.Forecast;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.TargetInventory.Sample;
import io.pgvectorops.testing.SettableClock;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity kind on a real server: the maintenance_work_mem it recommends builds the largest
 * HNSW graph in memory where the server's own setting spills; forecasts from a history fed through
 * the store with a settable clock; and no forecast from too little history. Random vectors: the
 * memory, growth and advice plumbing checked here does not depend on the data's shape.
 */
@VectorSet
class CapacityTest {
  static final String JOB = "name: capacity\nkind: capacity\nschedule: '0 0 5 * * ?'\n";

  @TempDir Path dir;

  private Components open(TestPostgres.Database db, String schema, SettableClock clock)
      throws Exception {
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(jobs.resolve("capacity.yml"), JOB);
    Files.writeString(
        jobs.resolve("health.yml"), "name: health\nkind: health\nschedule: '0 0 5 * * ?'\n");
    Components c = Stack.open(Stack.config(db, schema, jobs), clock);
    c.liveness.ensureHeld();
    return c;
  }

  private static CapacitySummary summary(RunOutcome o) {
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    return (CapacitySummary) o.summary();
  }

  @Test
  void theRecommendedMaintenanceWorkMemBuildsTheGraphInMemoryWhereTheServersSpills()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_mwm");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(32))",
        "INSERT INTO items (embedding) SELECT rv(32) FROM generate_series(1, 10000)",
        "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)",
        "ANALYZE items",
        "ALTER DATABASE " + db.name() + " SET maintenance_work_mem = '1MB'");
    try (Components c = open(db, "cap_mwm_state", new SettableClock(Instant.now()))) {
      CapacitySummary s = summary(Stack.runNow(c, "capacity"));
      assertThat(s.settings().maintenanceWorkMem()).isEqualTo(1048576);
      var index = s.indexes().get(0);
      assertThat(index.index()).isEqualTo("public.items_hnsw");
      var advice =
          s.recommendations().stream()
              .filter(r -> r.setting().equals("maintenance_work_mem"))
              .findFirst()
              .orElseThrow();
      assertThat(advice.current()).isEqualTo("1MB");
      assertThat(advice.reason()).contains("public.items_hnsw");
      long recommendedMb = Long.parseLong(advice.recommended().replace("MB", ""));
      assertThat(recommendedMb * 1048576).isGreaterThanOrEqualTo(index.buildMemoryBytes());

      assertThat(advice.measurement()).contains("assumes the host has that memory free");
      String library =
          db.queryString(
              "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'");
      if (io.pgvectorops.catalog.Advisories.compare(library, "0.8.2") < 0) {
        // the library's parallel HNSW build is defective: keep it off, whatever the server allows
        assertThat(s.recommendations())
            .filteredOn(r -> r.setting().equals("max_parallel_maintenance_workers"))
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.recommended()).startsWith("0 for HNSW builds");
                  assertThat(r.reason()).contains("parallel-hnsw-build-overflow");
                  assertThat(r.measurement()).contains("pgvector " + library);
                });
      } else {
        // today's library: parallel builds are fine, and recommended where the server allows them
        assertThat(s.recommendations())
            .filteredOn(r -> r.setting().equals("max_parallel_maintenance_workers"))
            .allSatisfy(
                r -> {
                  assertThat(r.recommended()).doesNotStartWith("0");
                  assertThat(r.reason()).contains("parallel workers");
                });
      }

      // with the host's memory known and smaller, the recommendation says it cannot be met
      c.targets.get("main").orElseThrow().config().memory =
          io.dropwizard.util.DataSize.megabytes(16);
      var bounded =
          summary(Stack.runNow(c, "capacity")).recommendations().stream()
              .filter(r -> r.setting().equals("maintenance_work_mem"))
              .findFirst()
              .orElseThrow();
      assertThat(bounded.reason()).contains("more than the host's memory (16 MiB)");
      assertThat(bounded.measurement())
          .contains("the host has 16 MiB (targets[].memory)")
          .doesNotContain("assumes");

      // the server's own setting spills; the recommended one builds in memory
      assertThat(reindexNotices(db, "1MB")).anyMatch(n -> n.contains("no longer fits"));
      assertThat(reindexNotices(db, advice.recommended()))
          .noneMatch(n -> n.contains("no longer fits"));
    }
  }

  private static List<String> reindexNotices(TestPostgres.Database db, String mwm)
      throws Exception {
    List<String> notices = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SET maintenance_work_mem = '" + mwm + "'");
      st.execute("SET max_parallel_maintenance_workers = 0");
      st.execute("REINDEX INDEX items_hnsw");
      for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
        notices.add(w.getMessage());
      }
    }
    return notices;
  }

  /** The history API marks the days of an index that is gone (dropped or renamed) as such. */
  @Test
  void theHistoryOfADroppedIndexIsMarkedNotPresent() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_history");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(4))",
        "INSERT INTO items (embedding) SELECT rv(4) FROM generate_series(1, 200)",
        "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)",
        "CREATE INDEX items_old ON items USING hnsw (embedding vector_cosine_ops)");
    SettableClock clock = new SettableClock(Instant.now());
    try (Components c = open(db, "cap_history_state", clock)) {
      assertThat(Stack.runNow(c, "health").status()).isEqualTo(RunStatus.succeeded);
      db.execute("DROP INDEX items_old");
      clock.advance(java.time.Duration.ofDays(1));
      assertThat(Stack.runNow(c, "health").status()).isEqualTo(RunStatus.succeeded);
      var api =
          new io.pgvectorops.api.TargetsResource(
              c.targets,
              c.inventory,
              io.pgvectorops.jobs.IndexFigures.of(c.kinds),
              new com.fasterxml.jackson.databind.ObjectMapper(),
              c.findings,
              c.advisories,
              new io.pgvectorops.api.Timeline.Sources(c.runs, c.audit, c.clock));
      var days = api.history("main", null, null);
      assertThat(days)
          .filteredOn(d -> d.sample().index().equals("public.items_old"))
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.present()).isFalse());
      assertThat(days)
          .filteredOn(d -> d.sample().index().equals("public.items_hnsw"))
          .hasSize(2)
          .allSatisfy(d -> assertThat(d.present()).isTrue());
    }
  }

  @Test
  void aGrowthFedThroughTheStoreForecastsTheCrossingAndItsFindingResolvesWhenGrowthStops()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_forecast");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(16))",
        "INSERT INTO items (embedding) SELECT rv(16) FROM generate_series(1, 2000)",
        "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)",
        "ANALYZE items");
    SettableClock clock = new SettableClock(Instant.parse("2027-03-01T06:00:00Z"));
    try (Components c = open(db, "cap_forecast_state", clock)) {
      assertThat(Stack.runNow(c, "health").status()).isEqualTo(RunStatus.succeeded);
      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      long size = c.inventory.indexes("main").get(0).sizeBytes();
      CapacitySummary first = summary(Stack.runNow(c, "capacity"));
      long sharedBuffers = first.settings().sharedBuffers();
      // 20 days to go at this growth: a warning (threshold 30 days)
      long perDay = (sharedBuffers - size) / 20 + 1;
      for (int d = 10; d >= 1; d--) {
        c.inventory.putSample(
            "main",
            "public",
            "items_hnsw",
            new Sample(null, today.minusDays(d), 2000L, size - perDay * d, 1L << 20, null));
      }
      CapacitySummary s = summary(Stack.runNow(c, "capacity"));
      assertThat(s.indexes().get(0).historyDays()).isEqualTo(11);
      assertThat(s.indexes().get(0).growthBytesPerDay()).isEqualTo((double) perDay);
      Forecast hot = hotSet(s, "shared_buffers");
      LocalDate expected =
          today.plusDays((long) Math.ceil((sharedBuffers - size) / (double) perDay));
      assertThat(hot.crossing()).isBetween(expected.minusDays(1), expected.plusDays(1));
      assertThat(open(c, "hot vector indexes / shared_buffers"))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo("capacity-forecast");
                assertThat(f.severity()).isEqualTo("warning");
                assertThat(f.message()).contains(hot.crossing().toString());
              });

      // growth stops: the same size every day; the forecast goes, and the finding resolves
      for (int d = 10; d >= 1; d--) {
        c.inventory.putSample(
            "main",
            "public",
            "items_hnsw",
            new Sample(null, today.minusDays(d), 2000L, size, 1L << 20, null));
      }
      clock.advance(java.time.Duration.ofMinutes(5));
      CapacitySummary flat = summary(Stack.runNow(c, "capacity"));
      assertThat(hotSet(flat, "shared_buffers").crossing()).isNull();
      assertThat(hotSet(flat, "shared_buffers").note()).isEqualTo("not growing");
      assertThat(open(c, "hot vector indexes / shared_buffers")).isEmpty();
    }
  }

  @Test
  void withFewerDaysThanTheMinimumThereIsNoForecastAndTheSummarySaysWhy() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_short");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(16))",
        "INSERT INTO items (embedding) SELECT rv(16) FROM generate_series(1, 500)",
        "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)",
        "ANALYZE items");
    SettableClock clock = new SettableClock(Instant.parse("2027-03-01T06:00:00Z"));
    try (Components c = open(db, "cap_short_state", clock)) {
      Stack.runNow(c, "health");
      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      for (int d = 2; d >= 1; d--) {
        c.inventory.putSample(
            "main",
            "public",
            "items_hnsw",
            new Sample(null, today.minusDays(d), 500L, 1000L * d, 1L << 20, null));
      }
      RunOutcome o = Stack.runNow(c, "capacity");
      CapacitySummary s = summary(o);
      assertThat(s.indexes().get(0).growthBytesPerDay()).isNull();
      assertThat(s.indexes().get(0).note())
          .isEqualTo(
              "3 day(s) of history, fewer than minHistoryDays (7): no growth fitted, nothing"
                  + " forecast");
      assertThat(s.forecasts()).allSatisfy(f -> assertThat(f.crossing()).isNull());
      assertThat(o.findings())
          .noneSatisfy(f -> assertThat(f.kind()).isEqualTo("capacity-forecast"));
    }
  }

  @Test
  void connectionHeadroomAndTheReadinessItemsAreReadFromTheServer() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_ready");
    try (Components c = open(db, "cap_ready_state", new SettableClock(Instant.now()));
        Connection held = db.connect();
        Statement st = held.createStatement()) {
      // one session of ours idle in a transaction
      held.setAutoCommit(false);
      st.execute("SELECT 1");
      RunOutcome o = Stack.runNow(c, "capacity");
      CapacitySummary s = summary(o);
      long max = db.queryLong("SELECT current_setting('max_connections')::int");
      assertThat(s.connections().maxConnections()).isEqualTo(max);
      assertThat(s.connections().reserved())
          .isEqualTo(db.queryLong("SELECT current_setting('superuser_reserved_connections')::int"));
      assertThat(s.connections().sessions()).isGreaterThanOrEqualTo(2);
      assertThat(s.connections().idleInTransaction()).isGreaterThanOrEqualTo(1);
      long heldPid =
          db.queryLong("SELECT max(pid) FROM pg_stat_activity WHERE state = 'idle in transaction'");
      assertThat(s.idleInTransaction())
          .anySatisfy(i -> assertThat((long) i.pid()).isEqualTo(heldPid));
      assertThat(s.connections().used())
          .isEqualTo(
              s.connections().sessions()
                  / (double) (s.connections().maxConnections() - s.connections().reserved()));
      // the test cluster preloads pg_stat_statements and runs without ssl or archiving
      assertThat(s.readiness())
          .extracting(r -> r.item() + "=" + r.ok())
          .contains("pg_stat_statements=true", "ssl=false", "wal archiving=false");
      assertThat(o.findings())
          .filteredOn(f -> f.kind().equals("readiness"))
          .extracting(f -> f.object())
          .contains("ssl", "wal archiving")
          .doesNotContain("pg_stat_statements");
      assertThat(o.findings()).noneMatch(f -> f.kind().equals("connection-headroom"));
      // one day of peaks: no trend yet
      assertThat(s.connections().trendPerDay()).isNull();
      assertThat(s.connections().trendNote()).startsWith("1 day(s) of peaks");

      // ten days of peaks growing by 5 sessions a day up to 100 today
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      long allowed = s.connections().maxConnections() - s.connections().reserved();
      for (int d = 10; d >= 0; d--) {
        c.kinds
            .services(CapacityJob.KIND)
            .own(SessionPeaks.class)
            .put("main", new SessionPeaks.SessionPeak(today.minusDays(d), 100 - 5L * d, allowed));
      }
      CapacitySummary trend = summary(Stack.runNow(c, "capacity"));
      assertThat(trend.connections().trendPerDay()).isEqualTo(5.0);
      assertThat(trend.connections().trendDays()).isEqualTo(11);
      assertThat(trend.connections().reaches80Percent())
          .isEqualTo(today.plusDays((long) Math.ceil((0.8 * allowed - 100) / 5)));
      held.rollback();
    }
  }

  @Test
  void theRegressionSweepsAdviceBecomesARecommendationAndAnIndexThatLimitsRecallAnotherShape()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_tuning");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(16))",
        "INSERT INTO items (embedding) SELECT rv(16) FROM generate_series(1, 3000)",
        "CREATE INDEX items_ivf ON items USING ivfflat (embedding vector_l2_ops) WITH (lists = 30)",
        "ANALYZE items");
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(
        jobs.resolve("regression.yml"),
        "name: regression\nkind: regression\nschedule: '0 0 5 * * ?'\n"
            + "params: {probes: 20, k: 10, repetitions: 1}\n");
    try (Components c = open(db, "cap_tuning_state", new SettableClock(Instant.now()))) {
      RunOutcome regression = Stack.runNow(c, "regression");
      var advice =
          regression.findings().stream()
              .filter(f -> f.kind().equals("recall-below-target"))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no recall-below-target: " + regression.findings()));
      assertThat(advice.metrics()).containsEntry("setting", "ivfflat.probes");
      CapacitySummary s = summary(Stack.runNow(c, "capacity"));
      var probes =
          s.recommendations().stream()
              .filter(r -> r.setting().equals("ivfflat.probes"))
              .findFirst()
              .orElseThrow();
      // the server's default, as the application's sessions get it
      assertThat(probes.current()).isEqualTo("1");
      assertThat(probes.recommended()).isEqualTo(String.valueOf(advice.metrics().get("suggested")));
      assertThat(probes.reason()).contains("public.items_ivf");

      // where no value reaches the target, another shape with its cost estimated
      var limiting =
          new io.pgvectorops.state.FindingRecord(
              1,
              "regression",
              "main",
              "public.items_ivf",
              "recall-below-target",
              "warning",
              "no value up to 30 reaches 0.95 (best 0.9): the index itself limits recall",
              null,
              null,
              null,
              null,
              null,
              null);
      try (Connection conn = db.connect()) {
        var facts =
            io.pgvectorops.catalog.VectorIndexes.read(
                c.targets.get("main").orElseThrow().jdbc(),
                conn,
                io.pgvectorops.catalog.VectorIndexes.PGVECTOR,
                io.pgvectorops.catalog.IndexFacts::from);
        var shape =
            Tuning.of(
                    Tuning.applicationSettings(
                        c.targets.get("main").orElseThrow().jdbc(), conn, null),
                    null,
                    List.of(limiting),
                    facts)
                .get(0);
        assertThat(shape.setting()).isEqualTo("public.items_ivf lists");
        assertThat(shape.current()).isEqualTo("30");
        assertThat(shape.recommended()).isEqualTo("3");
        assertThat(shape.measurement()).startsWith("estimate from the layout model: size ");
      }
    }
  }

  @Test
  void starvedFilteredSearchesAndLongVectorStatementsBecomeRecommendations() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var starved =
        new FindingRecord(
            1,
            "regression",
            "main",
            "public.docs_hnsw",
            "filtered-search-starved",
            "warning",
            "filtered probes starved",
            json.readTree("{\"starvedShare\": 0.4, \"setting\": \"hnsw.iterative_scan\"}"),
            null,
            null,
            null,
            3L,
            3L);
    var iterative =
        Tuning.iterativeScan(
            java.util.Map.of("hnsw.iterative_scan", "off"), "app", List.of(starved));
    assertThat(iterative)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.setting()).isEqualTo("hnsw.iterative_scan");
              assertThat(r.current()).isEqualTo("off");
              assertThat(r.recommended()).isEqualTo("relaxed_order");
              assertThat(r.measurement()).contains("40% of public.docs_hnsw");
            });
    var shorter =
        new FindingRecord(
            2,
            "slow-queries",
            "main",
            "pid 7",
            "long-running-statement",
            "warning",
            "vector statement running for 300 s",
            json.readTree("{\"user\": \"app\", \"seconds\": 300, \"vector\": true}"),
            null,
            null,
            null,
            4L,
            4L);
    var longer =
        new FindingRecord(
            3,
            "slow-queries",
            "main",
            "pid 8",
            "long-running-statement",
            "warning",
            "vector statement running for 900 s",
            json.readTree("{\"user\": \"app\", \"seconds\": 900, \"vector\": true}"),
            null,
            null,
            null,
            4L,
            4L);
    var notVector =
        new FindingRecord(
            4,
            "slow-queries",
            "main",
            "pid 9",
            "long-running-statement",
            "warning",
            "statement running for 2000 s",
            json.readTree("{\"user\": \"etl\", \"seconds\": 2000, \"vector\": false}"),
            null,
            null,
            null,
            4L,
            4L);
    assertThat(Tuning.statementTimeouts(List.of(shorter, longer, notVector)))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.setting()).isEqualTo("statement_timeout for role app");
              assertThat(r.recommended()).isEqualTo("15min");
              assertThat(r.reason()).contains("ran 900 s");
            });
  }

  private static Forecast hotSet(CapacitySummary s, String limit) {
    return s.forecasts().stream()
        .filter(f -> f.object().equals("hot vector indexes") && f.limit().equals(limit))
        .findFirst()
        .orElseThrow();
  }

  private static List<FindingRecord> open(Components c, String object) {
    return c.findings.list(true, "main", "capacity", 100).stream()
        .filter(f -> f.object().equals(object))
        .toList();
  }
}
