package io.pgvectorops.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
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
 * pgvector's advisories on the test line's library: on 0.8.0 (the host's line) health raises those
 * this database is exposed to and index-rebuild builds HNSW without parallel workers and without
 * the VACUUM after; on 0.8.7 (the sid line) neither the advisories nor the precautions. An
 * operator's file adds one without a new jar, or marks the running library affected and brings the
 * precautions back. 0.8.0's SQL objects under the installed library are decided by the library.
 */
@VectorSet
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

  /** The installed library's version (the control file's default_version). */
  private static String library(TestPostgres.Database db) throws Exception {
    return db.queryString(
        "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'");
  }

  /** Whether the library has the HNSW defects the daemon works around (fixed by 0.8.4). */
  private static boolean oldLibrary(TestPostgres.Database db) throws Exception {
    return Advisories.compare(library(db), "0.8.4") < 0;
  }

  private static TestPostgres.Database hnswWithDeletes(String name) throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase(name);
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(8))",
        "INSERT INTO items (e) SELECT rv(8) FROM generate_series(1, 500)",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)",
        "DELETE FROM items WHERE id % 10 = 0",
        "ANALYZE items");
    // deletes reach pg_stat_user_tables once the deleting session's statistics are flushed
    awaitDeletes(db);
    return db;
  }

  private static void awaitDeletes(TestPostgres.Database db) {
    await("the deletes in the statistics")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                db.queryLong("SELECT n_tup_del FROM pg_stat_user_tables WHERE relname = 'items'")
                    > 0);
  }

  @Test
  void healthRaisesWhatTheRunningLibraryIsExposedToAndRebuildTakesItsPrecautions()
      throws Exception {
    TestPostgres.Database db = hnswWithDeletes("advisory");
    boolean old = oldLibrary(db);
    try (Components c = open(db, "advisory_state", List.of())) {
      RunOutcome o = run(c, "health");
      List<String> hnswDefects =
          List.of(
              "pgvector:parallel-hnsw-build-overflow",
              "pgvector:hnsw-vacuum-corruption",
              "pgvector:hnsw-vacuum-errors");
      Map<String, Object> plan = Summaries.of(run(c, "rebuild"));
      if (!old) {
        // today's library: nothing to raise, nothing to work around
        assertThat(advisories(o)).doesNotContainAnyElementsOf(hnswDefects);
        assertThat(String.valueOf(plan.get("precautions")))
            .doesNotContain("parallel workers")
            .doesNotContain("no VACUUM");
        assertThat(workers(plan)).isPositive();
        return;
      }
      assertThat(advisories(o))
          .containsAll(hnswDefects)
          .doesNotContain("pgvector:ivfflat-build-memory"); // no IVFFlat index here
      Finding vacuum =
          o.findings().stream()
              .filter(f -> f.object().equals("pgvector:hnsw-vacuum-corruption"))
              .findFirst()
              .orElseThrow();
      assertThat(vacuum.severity()).isEqualTo(Finding.Severity.critical);
      assertThat(vacuum.message())
          .contains("pgvector " + library(db))
          .contains("fixed in 0.8.3")
          .contains("1 table with an HNSW index and deletes");
      assertThat(
              o.findings().stream()
                  .filter(f -> f.object().equals("pgvector:parallel-hnsw-build-overflow"))
                  .findFirst()
                  .orElseThrow()
                  .message())
          .contains("CVE-2026-3172");

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
      assertThat(plan.get("precautions").toString())
          .contains("without parallel workers")
          .contains("parallel-hnsw-build-overflow")
          .contains("no VACUUM after an HNSW rebuild");
      assertThat(workers(plan)).isZero();
    }
  }

  @Test
  void anOperatorsFileAddsARuleOrMarksTheRunningLibraryAffected() throws Exception {
    TestPostgres.Database db = hnswWithDeletes("advisory_own");
    String library = library(db);
    // on 0.8.0: the defect marked fixed in their build; on 0.8.7: marked affecting it after all
    String fixedIn = oldLibrary(db) ? library : "9.0.0";
    Path own = dir.resolve("ours.yml");
    Files.writeString(
        own,
        """
        pgvector:
          - id: parallel-hnsw-build-overflow
            fixedIn: %s
            affects: parallel-hnsw-build
            exposedWhen: hnsw-indexes
            severity: warning
            summary: as our build has it
            action: nothing
            source: our CHANGELOG
          - id: our-hnsw-review
            affects: hnsw-build
            exposedWhen: hnsw-indexes
            severity: info
            summary: every HNSW index is reviewed by the platform team
            action: ask them
            source: our wiki
        """
            .formatted(fixedIn));
    try (Components c = open(db, "advisory_own_state", List.of(own.toString()))) {
      List<String> seen = advisories(run(c, "health"));
      assertThat(seen).contains("pgvector:our-hnsw-review");
      Map<String, Object> plan = Summaries.of(run(c, "rebuild"));
      if (oldLibrary(db)) {
        assertThat(seen).doesNotContain("pgvector:parallel-hnsw-build-overflow");
        // the vacuum defects still apply: no VACUUM after the rebuild, and only that
        assertThat(plan.get("precautions").toString())
            .doesNotContain("parallel workers")
            .contains("no VACUUM after an HNSW rebuild");
        assertThat(workers(plan)).isPositive();
      } else {
        assertThat(seen).contains("pgvector:parallel-hnsw-build-overflow");
        assertThat(plan.get("precautions").toString())
            .contains("without parallel workers")
            .contains("pgvector " + library + " has parallel-hnsw-build-overflow")
            .doesNotContain("no VACUUM");
        assertThat(workers(plan)).isZero();
      }
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
      if (Advisories.compare(library(db), "0.8.4") < 0) {
        assertThat(seen).contains("pgvector:ivfflat-build-memory");
      } else {
        assertThat(seen).isEmpty();
      }
      assertThat(seen).noneMatch(id -> id.contains("hnsw"));
    }
  }

  /**
   * 0.8.0's SQL objects under the installed library, the state a package upgrade leaves until ALTER
   * EXTENSION vector UPDATE (the sid root has 0.8.0's install script beside 0.8.7's): the library
   * decides the library's advisories; an upgrade is offered where the two differ, and the HNSW
   * indexes that saw deletes under a version with silent damage are named for a rebuild.
   */
  @Test
  void sqlObjectsOf080UnderTheInstalledLibrary() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("advisory_080");
    db.execute(
        "DROP EXTENSION vector CASCADE",
        "CREATE EXTENSION vector VERSION '0.8.0'",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(8))",
        "INSERT INTO items (e) SELECT ('[' || array_to_string(ARRAY(SELECT random() FROM"
            + " generate_series(1, 8)), ',') || ']')::vector FROM generate_series(1, 300)",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)",
        "DELETE FROM items WHERE id % 10 = 0");
    awaitDeletes(db);
    assertThat(db.queryString("SELECT extversion FROM pg_extension WHERE extname = 'vector'"))
        .isEqualTo("0.8.0");
    String library = library(db);
    try (Components c = open(db, "advisory_080_state", List.of())) {
      RunOutcome o = run(c, "health");
      List<String> expected =
          c.advisories.affecting(new PgvectorVersions("0.8.0", library)).stream()
              .filter(a -> a.exposedWhen() != Advisories.Exposure.IVFFLAT_INDEXES)
              .filter(a -> a.exposedWhen() != Advisories.Exposure.SPARSEVEC_COLUMNS)
              .filter(a -> a.exposedWhen() != Advisories.Exposure.IVFFLAT_INDEXES_ON_32_BIT)
              .filter(a -> a.exposedWhen() != Advisories.Exposure.VECTOR_COLUMNS_EXTENDED_STORAGE)
              .map(a -> "pgvector:" + a.id())
              .toList();
      assertThat(advisories(o)).containsExactlyInAnyOrderElementsOf(expected);
      List<Finding> upgrade =
          o.findings().stream().filter(f -> f.kind().equals("pgvector-upgrade-available")).toList();
      List<Finding> rebuild =
          o.findings().stream().filter(f -> f.kind().equals("hnsw-rebuild-after-upgrade")).toList();
      if (library.equals("0.8.0")) {
        assertThat(upgrade).isEmpty();
        assertThat(rebuild).isEmpty(); // the defects are still there: the advisories say so
        assertThat(advisories(o)).contains("pgvector:hnsw-vacuum-corruption");
      } else {
        assertThat(advisories(o)).noneMatch(id -> id.contains("hnsw"));
        assertThat(upgrade)
            .singleElement()
            .satisfies(
                f ->
                    assertThat(f.message())
                        .contains("library already runs here")
                        .contains("ALTER EXTENSION vector UPDATE; brings them to " + library));
        assertThat(rebuild)
            .singleElement()
            .satisfies(
                f ->
                    assertThat(f.message())
                        .contains("hnsw-vacuum-corruption")
                        .contains("public.items_hnsw"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static int workers(Map<String, Object> plan) {
    List<Map<String, Object>> candidates = (List<Map<String, Object>>) plan.get("candidates");
    Map<String, Object> settings = (Map<String, Object>) candidates.get(0).get("settings");
    return ((Number) settings.get("max_parallel_maintenance_workers")).intValue();
  }
}
