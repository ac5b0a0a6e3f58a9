package io.pgvectorops.jobs.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Residency of vector indexes across a real restart of the test cluster. */
@VectorSet
class PrewarmTest {
  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  static Map<String, Object> relation(RunOutcome o, String name) {
    return ((List<Map<String, Object>>) Summaries.of(o).get("relations"))
        .stream().filter(r -> r.get("relation").equals(name)).findFirst().orElseThrow();
  }

  @Test
  void afterARestartTheChosenIndexIsWarmAndOneOverTheBudgetIsNotLoaded() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("prewarm");
    db.execute(
        "CREATE TABLE small (id bigserial PRIMARY KEY, e vector(128))",
        "INSERT INTO small (e) SELECT rv(128) FROM generate_series(1, 3000)",
        "CREATE INDEX small_hnsw ON small USING hnsw (e vector_l2_ops)",
        "CREATE TABLE big (id bigserial PRIMARY KEY, e vector(128))",
        "INSERT INTO big (e) SELECT rv(128) FROM generate_series(1, 20000)",
        "CREATE INDEX big_hnsw ON big USING hnsw (e vector_l2_ops)",
        "ANALYZE");
    Path jobs = dir.resolve("jobs");
    Files.createDirectories(jobs);
    // shared_buffers is 128 MB in the test cluster: a 10% budget holds small_hnsw (~2.4 MB), not
    // big_hnsw (~16 MB)
    Files.writeString(
        jobs.resolve("prewarm.yml"),
        "name: prewarm\nkind: prewarm\nschedule: '0 */5 * * * ?'\n"
            + "params:\n  budgetShare: 0.1\n");
    Files.writeString(
        jobs.resolve("health.yml"), "name: health\nkind: health\nschedule: '0 0 * * * ?'\n");
    try (Components c = Stack.open(Stack.config(db, "prewarm_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      var target = c.targets.get("main").orElseThrow();
      c.runner.run(c.catalog.get("health").orElseThrow(), target, Trigger.manual, null, false);
      RunOutcome first =
          c.runner.run(c.catalog.get("prewarm").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(RunStatus.succeeded);
      assertThat(Summaries.of(first).get("restartDetected")).isEqualTo(false);

      TestPostgres.restart();
      c.liveness.ensureHeld();
      RunOutcome after =
          c.runner.run(c.catalog.get("prewarm").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(after.status()).as(String.valueOf(after.error())).isEqualTo(RunStatus.succeeded);
      assertThat(Summaries.of(after).get("restartDetected")).isEqualTo(true);
      Map<String, Object> small = relation(after, "public.small_hnsw");
      assertThat((double) small.get("residencyBefore")).isLessThan(0.5);
      assertThat(small.get("action")).isEqualTo("loaded");
      assertThat((double) small.get("residencyAfter")).isGreaterThanOrEqualTo(0.95);
      Map<String, Object> big = relation(after, "public.big_hnsw");
      assertThat((String) big.get("action")).startsWith("not loaded: over the budget");
      assertThat((double) big.get("residencyAfter")).isLessThan(0.5);

      // cheap when everything chosen is resident: nothing loaded again
      RunOutcome again =
          c.runner.run(c.catalog.get("prewarm").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(relation(again, "public.small_hnsw").get("action")).isEqualTo("already resident");

      VectorIndex inv =
          c.inventory.indexes("main").stream()
              .filter(i -> i.name().equals("small_hnsw"))
              .findFirst()
              .orElseThrow();
      assertThat(inv.residency()).isGreaterThanOrEqualTo(0.95);

      db.execute("DROP EXTENSION pg_prewarm");
      RunOutcome skipped =
          c.runner.run(c.catalog.get("prewarm").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(skipped.status()).isEqualTo(RunStatus.skipped);
      assertThat(skipped.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo("extension-missing");
                assertThat(f.message()).contains("CREATE EXTENSION pg_prewarm");
              });
      db.execute("CREATE EXTENSION pg_prewarm");
    }
  }
}
