package io.pgvectorops.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgvector's advisories on the test cluster (pgvector 0.8.0): health raises those this database is
 * exposed to, an operator's file adds one without a new jar, and index-rebuild builds HNSW without
 * parallel workers while the parallel-build defect applies.
 */
class AdvisoryHealthTest {
  @TempDir Path dir;

  private static final String HEALTH = "name: health\nkind: health\nschedule: '0 * * * * ?'\n";
  private static final String REBUILD =
      "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\ndryRun: true\n"
          + "params: {indexes: [public.items_hnsw]}\n";

  private Components open(TestPostgres.Database db, String schema, List<String> advisoryFiles)
      throws Exception {
    Path jobs = dir.resolve(schema);
    OpsConfiguration config = Stack.config(db, schema, jobs);
    config.advisoryFiles = advisoryFiles;
    Files.writeString(jobs.resolve("health.yml"), HEALTH);
    Files.writeString(jobs.resolve("rebuild.yml"), REBUILD);
    Components c = Stack.open(config, Clock.systemUTC());
    c.liveness.ensureHeld();
    return c;
  }

  private static RunOutcome run(Components c, String job) {
    RunOutcome o = Stack.runNow(c, job);
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    return o;
  }

  private static List<String> advisories(RunOutcome o) {
    return o.findings().stream()
        .filter(f -> f.kind().equals("pgvector-advisory"))
        .map(Finding::object)
        .toList();
  }

  @Test
  void healthRaisesWhatThisDatabaseIsExposedToAndRebuildAvoidsParallelHnswBuilds()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("advisory");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(8))",
        "INSERT INTO items (e) SELECT rv(8) FROM generate_series(1, 500)",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)",
        "DELETE FROM items WHERE id % 10 = 0",
        "ANALYZE items");
    try (Components c = open(db, "advisory_state", List.of())) {
      // deletes reach pg_stat_user_tables once the deleting session's statistics are flushed
      await("the HNSW-vacuum advisory")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> advisories(run(c, "health")).contains("pgvector:hnsw-vacuum-corruption"));
      RunOutcome o = run(c, "health");
      assertThat(advisories(o))
          .contains(
              "pgvector:parallel-hnsw-build-overflow",
              "pgvector:hnsw-vacuum-corruption",
              "pgvector:hnsw-vacuum-errors")
          .doesNotContain("pgvector:ivfflat-build-memory"); // no IVFFlat index here
      Finding vacuum =
          o.findings().stream()
              .filter(f -> f.object().equals("pgvector:hnsw-vacuum-corruption"))
              .findFirst()
              .orElseThrow();
      assertThat(vacuum.severity()).isEqualTo(Finding.Severity.critical);
      assertThat(vacuum.message())
          .contains("pgvector 0.8.0")
          .contains("fixed in 0.8.3")
          .contains("1 table with an HNSW index and deletes");

      // `check` prints them apart from the problems it counts
      var inspection =
          io.pgvectorops.kinds.JobKinds.inspect(
                  c.targets.get("main").orElseThrow(), c.catalog.forTarget("main"), c.advisories)
              .orElseThrow();
      assertThat(inspection.advisories())
          .extracting(Finding::object)
          .contains("pgvector:parallel-hnsw-build-overflow", "pgvector:hnsw-vacuum-corruption");
      assertThat(inspection.findings())
          .extracting(Finding::kind)
          .doesNotContain("pgvector-advisory");

      // the parallel-build defect applies: the rebuild plans HNSW builds without workers
      Map<String, Object> plan = Summaries.of(run(c, "rebuild"));
      assertThat(plan.get("precautions").toString())
          .contains("without parallel workers")
          .contains("parallel-hnsw-build-overflow");
      assertThat(workers(plan)).isZero();
    }

    // an operator's file: the defect marked fixed in their build, and a rule of their own
    Path own = dir.resolve("ours.yml");
    Files.writeString(
        own,
        """
        pgvector:
          - id: parallel-hnsw-build-overflow
            fixedIn: 0.8.0
            affects: parallel-hnsw-build
            exposedWhen: hnsw-indexes
            severity: warning
            summary: fixed in our build
            action: nothing
            source: our CHANGELOG
          - id: our-hnsw-review
            affects: hnsw-build
            exposedWhen: hnsw-indexes
            severity: info
            summary: every HNSW index is reviewed by the platform team
            action: ask them
            source: our wiki
        """);
    try (Components c = open(db, "advisory_state2", List.of(own.toString()))) {
      List<String> seen = advisories(run(c, "health"));
      assertThat(seen)
          .contains("pgvector:our-hnsw-review")
          .doesNotContain("pgvector:parallel-hnsw-build-overflow");
      Map<String, Object> plan = Summaries.of(run(c, "rebuild"));
      // the vacuum defects still apply: no VACUUM after the rebuild, and only that
      assertThat(plan.get("precautions").toString())
          .doesNotContain("parallel workers")
          .contains("no VACUUM after an HNSW rebuild");
      assertThat(workers(plan)).isPositive();
    }
  }

  @Test
  void aDatabaseWithoutHnswIndexesHasNoHnswAdvisory() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("advisory_ivf");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(8))",
        "INSERT INTO items (e) SELECT rv(8) FROM generate_series(1, 500)",
        "CREATE INDEX items_ivf ON items USING ivfflat (e vector_l2_ops) WITH (lists = 5)",
        "DELETE FROM items WHERE id % 10 = 0");
    try (Components c = open(db, "advisory_ivf_state", List.of())) {
      List<String> seen = advisories(run(c, "health"));
      assertThat(seen).contains("pgvector:ivfflat-build-memory");
      assertThat(seen).noneMatch(id -> id.contains("hnsw"));
    }
  }

  @SuppressWarnings("unchecked")
  private static int workers(Map<String, Object> plan) {
    List<Map<String, Object>> candidates = (List<Map<String, Object>>) plan.get("candidates");
    Map<String, Object> settings = (Map<String, Object>) candidates.get(0).get("settings");
    return ((Number) settings.get("max_parallel_maintenance_workers")).intValue();
  }
}
