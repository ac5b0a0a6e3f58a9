package io.pgvectorops.jobs.quantization;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.testing.embeddings.RealEmbeddings;
import io.pgvectorops.testing.embeddings.RealTable;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantization trial on real sentence embeddings (5,000 WordNet glosses, all-MiniLM-L6-v2,
 * cosine) with the application's questions as queries: the current index, halfvec and
 * binary_quantize + re-rank are built on a sample and measured, the estimates of the whole table
 * are checked against the real index, and nothing is left behind. A schema of the trial's name that
 * is not the trial's is never touched; a killed run's is dropped by the next one.
 */
@VectorSet
class QuantizationTrialTest {
  static TestPostgres.Database db;
  @TempDir Path dir;

  @BeforeAll
  static void realData() throws Exception {
    db = TestPostgres.newDatabase("trial");
    RealTable.load(db, "glosses", RealEmbeddings.documents(5000));
    RealTable.load(db, "search_log", RealEmbeddings.queriesAmong(5000, 50));
    db.execute("CREATE INDEX glosses_hnsw ON glosses USING hnsw (e vector_cosine_ops)", "ANALYZE");
  }

  private Components trial(String params) throws Exception {
    return Stack.withJobs(
        db,
        "trial_state",
        dir,
        Map.of(
            "trial.yml",
            "name: trial\nkind: quantization-trial\nschedule: '0 0 3 ? * SUN'\n"
                + "params:\n  index: public.glosses_hnsw\n  repetitions: 1\n"
                + params));
  }

  private static long scratchSchemas() throws Exception {
    return db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgvector_ops_trial'");
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachShapeIsMeasuredOnTheApplicationsQueriesAndNothingIsLeft() throws Exception {
    try (Components c =
        trial("  sampleRows: 4000\n  probeSql: SELECT e FROM search_log ORDER BY id\n")) {
      RunOutcome o = Stack.runNow(c, "trial");
      assertThat(o.status()).as(o.error() + " " + o.summary()).isEqualTo(RunStatus.succeeded);
      Map<String, Object> s = Summaries.of(o);
      assertThat(s.get("probeSource").toString()).startsWith("probeSql");
      assertThat(s.get("probes")).isEqualTo(50);
      assertThat(s.get("halfM").toString()).startsWith("not tried: no regression job");
      assertThat(((Number) s.get("sampleRows")).intValue()).isBetween(3000, 4000);
      List<Map<String, Object>> shapes = (List<Map<String, Object>>) s.get("shapes");
      assertThat(shapes)
          .extracting(r -> r.get("shape"))
          .containsExactly("current", "halfvec", "binary_quantize + re-rank");
      for (Map<String, Object> r : shapes) {
        assertThat(r.get("error")).as(r.toString()).isNull();
        assertThat(((Number) r.get("recall")).doubleValue()).as(r.toString()).isGreaterThan(0.5);
        assertThat(((Number) r.get("p95Ms")).doubleValue()).isPositive();
        assertThat(((Number) r.get("buildSeconds")).doubleValue()).isPositive();
        System.out.printf(
            Locale.ROOT,
            "QuantizationTrialTest: %-26s sample index %,10d B, build %5.2f s, recall@10 %.3f"
                + " at ef_search %s, p95 %.2f ms; whole table ~%,d B%n",
            r.get("shape"),
            ((Number) r.get("sampleIndexBytes")).longValue(),
            ((Number) r.get("buildSeconds")).doubleValue(),
            ((Number) r.get("recall")).doubleValue(),
            r.get("efSearch"),
            ((Number) r.get("p95Ms")).doubleValue(),
            ((Number) r.get("estimatedBytes")).longValue());
      }
      long current = bytes(shapes.get(0), "sampleIndexBytes");
      assertThat(bytes(shapes.get(1), "sampleIndexBytes")).isLessThan(current);
      assertThat(bytes(shapes.get(2), "sampleIndexBytes"))
          .isLessThan(bytes(shapes.get(1), "sampleIndexBytes"));
      // the estimate from the sample, checked against the index the application has
      long actual = bytes(shapes.get(0), "actualBytes");
      System.out.printf(
          Locale.ROOT,
          "QuantizationTrialTest: %s rows sampled of %s; the application's index %,d B%n",
          s.get("sampleRows"),
          s.get("tableRows"),
          actual);
      assertThat((double) bytes(shapes.get(0), "estimatedBytes") / actual).isBetween(0.8, 1.25);
      System.out.println("QuantizationTrialTest: " + s.get("recommendation"));
      assertThat(s.get("recommendation")).isNotNull();
    }
    assertThat(scratchSchemas()).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void halfTheMIsTriedWhereTheRegressionJobMeasuredRecallWithRoom() throws Exception {
    String never = "schedule: '0 0 3 ? * SUN'\n";
    Map<String, String> jobs =
        Map.of(
            "regression.yml",
            "name: regression\nkind: regression\n"
                + never
                + "params: {probes: 25, repetitions: 1, sweep: false}\n",
            "trial.yml",
            "name: trial\nkind: quantization-trial\n"
                + never
                + "params:\n  index: public.glosses_hnsw\n  repetitions: 1\n  sampleRows: 2000\n"
                + "  probeSql: SELECT e FROM search_log ORDER BY id\n");
    try (Components c = Stack.withJobs(db, "trial_m_state", dir, jobs)) {
      RunOutcome measured = Stack.runNow(c, "regression");
      assertThat(measured.status()).as(measured.error()).isEqualTo(RunStatus.succeeded);
      RunOutcome o = Stack.runNow(c, "trial");
      assertThat(o.status()).as(o.error() + " " + o.summary()).isEqualTo(RunStatus.succeeded);
      Map<String, Object> s = Summaries.of(o);
      System.out.println("QuantizationTrialTest: " + s.get("halfM"));
      assertThat(s.get("halfM").toString())
          .startsWith("tried: the regression job measured recall@10")
          .endsWith("m = 8 is tried beside m = 16");
      List<Map<String, Object>> shapes = (List<Map<String, Object>>) s.get("shapes");
      assertThat(shapes)
          .extracting(r -> r.get("shape"))
          .containsExactly("current", "half m", "halfvec", "binary_quantize + re-rank");
      Map<String, Object> half = shapes.get(1);
      System.out.println("QuantizationTrialTest: half m " + half);
      assertThat(half.get("error")).as(half.toString()).isNull();
      assertThat(half.get("definition").toString()).contains("WITH (m = 8, ef_construction = 64)");
      System.out.println("QuantizationTrialTest: current " + shapes.get(0));
      // 384 dimensions: an element's vector (1,544 bytes) dominates its neighbour list, and a
      // page holds as many elements either way, so half m saves build memory, not index pages
      assertThat(bytes(half, "sampleIndexBytes"))
          .isLessThanOrEqualTo(bytes(shapes.get(0), "sampleIndexBytes"));
      assertThat(bytes(half, "estimatedBuildMemoryBytes"))
          .isLessThan(bytes(shapes.get(0), "estimatedBuildMemoryBytes"));
    }
    assertThat(scratchSchemas()).isZero();
  }

  @Test
  void aLabTargetGetsTheSampleAndTheBuildsAndTheApplicationsServerIsOnlyRead() throws Exception {
    TestPostgres.Database lab = TestPostgres.newDatabase("trial_lab");
    OpsConfiguration config = Stack.config(db, "trial_state", dir.resolve("jobs"));
    TargetConfig labTarget = new TargetConfig();
    labTarget.name = "lab";
    labTarget.url = lab.url();
    labTarget.user = lab.user();
    labTarget.password = lab.password();
    config.targets.add(labTarget);
    Files.writeString(
        dir.resolve("jobs/trial.yml"),
        "name: trial\nkind: quantization-trial\nschedule: '0 0 3 ? * SUN'\nparams:\n"
            + "  index: public.glosses_hnsw\n  repetitions: 1\n  sampleRows: 2000\n"
            + "  probes: 10\n  labTarget: lab\n");
    long mainInserted = inserted(db);
    long labInserted = inserted(lab);
    try (Components c = Stack.open(config, java.time.Clock.systemUTC())) {
      c.liveness.ensureHeld();
      RunOutcome o = Stack.runNow(c, "trial");
      assertThat(o.status()).as(o.error() + " " + o.summary()).isEqualTo(RunStatus.succeeded);
      Map<String, Object> s = Summaries.of(o);
      assertThat(s.get("scratchTarget")).isEqualTo("lab");
      assertThat(((Number) s.get("sampleRows")).intValue()).isBetween(1500, 2000);
      // the probes are rows of the application's table that were not copied
      assertThat(s.get("probeSource").toString()).isEqualTo("rows of the table outside the sample");
      assertThat((List<?>) s.get("shapes"))
          .hasSize(3)
          .allSatisfy(r -> assertThat(((Map<?, ?>) r).get("error")).as(r.toString()).isNull());
      // the sample went into the lab's scratch table, not into one on the application's server
      long sampled = ((Number) s.get("sampleRows")).longValue();
      // a session's statistics reach pg_stat_database within a second or so
      Awaitility.await("the sample's rows counted in the lab's statistics")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> assertThat(inserted(lab) - labInserted).isGreaterThanOrEqualTo(sampled));
      assertThat(inserted(db) - mainInserted).isLessThan(sampled);
    }
    assertThat(scratchSchemas()).isZero();
    assertThat(
            lab.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgvector_ops_trial'"))
        .isZero();
  }

  /** Rows inserted in a database, as its statistics say. */
  private static long inserted(TestPostgres.Database d) throws Exception {
    return d.queryLong(
        "SELECT tup_inserted FROM pg_stat_database WHERE datname = current_database()");
  }

  @Test
  void aDryRunPlansAndCreatesNothing() throws Exception {
    try (Components c = trial("  sampleRows: 1000\n")) {
      RunOutcome o =
          c.runner.run(
              c.catalog.get("trial").orElseThrow(),
              c.targets.get("main").orElseThrow(),
              io.pgvectorops.scheduler.Trigger.manual,
              null,
              true);
      assertThat(o.status()).as(o.error() + " " + o.summary()).isEqualTo(RunStatus.succeeded);
      Map<String, Object> s = Summaries.of(o);
      assertThat(s.get("dryRun")).isEqualTo(true);
      assertThat(s.get("sampleRows")).isEqualTo(1000);
      assertThat(s.get("shapesPlanned").toString()).contains("halfvec");
      assertThat(s).doesNotContainKey("shapes");
    }
    assertThat(scratchSchemas()).isZero();
  }

  @Test
  void aLeftoverIsDroppedAndASchemaNotOursIsNeverTouched() throws Exception {
    try (Components c = trial("  sampleRows: 500\n  probes: 10\n")) {
      db.execute(
          "CREATE SCHEMA pgvector_ops_trial",
          "CREATE TABLE pgvector_ops_trial.precious (id int)",
          "INSERT INTO pgvector_ops_trial.precious VALUES (1)");
      RunOutcome refused = Stack.runNow(c, "trial");
      assertThat(refused.status()).isEqualTo(RunStatus.failed);
      assertThat(refused.error()).contains("is not the trial's scratch schema");
      assertThat(db.queryLong("SELECT count(*) FROM pgvector_ops_trial.precious")).isEqualTo(1);
      db.execute("DROP SCHEMA pgvector_ops_trial CASCADE");

      // what a run killed after its copy leaves: the marked schema with its sample
      db.execute(
          io.pgvectorops.sql.SqlFile.load("ddl/create_trial_schema")
              .with("schema", "pgvector_ops_trial")
              .text(),
          "CREATE TABLE pgvector_ops_trial.sample AS SELECT id, e AS v FROM glosses LIMIT 10");
      RunOutcome next = Stack.runNow(c, "trial");
      assertThat(next.status())
          .as(next.error() + " " + next.summary())
          .isEqualTo(RunStatus.succeeded);
      assertThat(Summaries.of(next).get("leftoverDropped")).isEqualTo(true);
      assertThat(Summaries.of(next).get("probeSource").toString()).contains("outside the sample");
    }
    assertThat(scratchSchemas()).isZero();
  }

  @Test
  void anIndexThatDoesNotExistIsAFindingAndNothingIsTried() throws Exception {
    try (Components c =
        Stack.withJobs(
            db,
            "trial_state",
            dir,
            Map.of(
                "trial.yml",
                "name: trial\nkind: quantization-trial\nschedule: '0 0 3 ? * SUN'\n"
                    + "params: {index: public.glosses_hsnw}\n"))) {
      RunOutcome o = Stack.runNow(c, "trial");
      assertThat(o.status()).isEqualTo(RunStatus.skipped);
      assertThat(o.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo("index-not-found");
                assertThat(f.message()).contains("public.glosses_hsnw").contains("params.index");
              });
    }
    assertThat(scratchSchemas()).isZero();
  }

  private static long bytes(Map<String, Object> row, String key) {
    return ((Number) row.get(key)).longValue();
  }
}
