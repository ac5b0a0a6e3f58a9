package io.pgvectorops.jobs.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.jobs.capacity.CapacityJob.CapacitySummary;
import io.pgvectorops.jobs.capacity.CapacityJob.Recommendation;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capacity's autovacuum advice per table with an HNSW index, on real tables: one updated and
 * deleted from under the server's scale factor is advised a smaller one; an insert-only table, a
 * small one and one with its own small scale factor are not; one with autovacuum off is told so.
 */
@VectorSet
class AutovacuumAdviceTest {
  @TempDir Path dir;

  private static String table(String name, int rows, String options) {
    return "CREATE TABLE "
        + name
        + " (id bigserial PRIMARY KEY, e vector(16))"
        + options
        + "; INSERT INTO "
        + name
        + " (e) SELECT rv(16) FROM generate_series(1, "
        + rows
        + "); CREATE INDEX ON "
        + name
        + " USING hnsw (e vector_l2_ops)";
  }

  @Test
  void aTableWhoseUpdatesLeaveDeadGraphElementsIsAdvisedASmallerScaleFactor() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cap_autovacuum");
    db.execute(
        table("churned", 3000, ""),
        table("appended", 3000, ""),
        table("tuned", 3000, " WITH (autovacuum_vacuum_scale_factor = 0.02)"),
        table("small", 500, ""),
        table("unvacuumed", 3000, " WITH (autovacuum_enabled = false)"),
        // a new vector is a new graph element: never a HOT update
        "UPDATE churned SET e = rv(16) WHERE id <= 600",
        "DELETE FROM churned WHERE id > 2900",
        "UPDATE tuned SET e = rv(16) WHERE id <= 600",
        "UPDATE small SET e = rv(16) WHERE id <= 200",
        "UPDATE unvacuumed SET e = rv(16) WHERE id <= 600",
        "ANALYZE");
    // the statistics reach pg_stat_all_tables once the writing sessions have flushed them
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "700"
                    .equals(
                        db.queryString(
                            "SELECT n_tup_upd + n_tup_del FROM pg_stat_all_tables"
                                + " WHERE relid = 'churned'::regclass")));
    String job =
        "name: capacity\nkind: capacity\nschedule: '0 0 5 * * ?'\n"
            + "params: {autovacuumAdviceMinRows: 1000}\n";
    try (Components c =
        Stack.withJobs(db, "cap_autovacuum_state", dir, Map.of("capacity.yml", job))) {
      RunOutcome o = Stack.runNow(c, "capacity");
      assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
      List<Recommendation> advice =
          ((CapacitySummary) o.summary())
              .recommendations().stream()
                  .filter(r -> r.setting().startsWith("autovacuum"))
                  .toList();
      advice.forEach(r -> System.out.println("AutovacuumAdviceTest: " + r));
      assertThat(advice)
          .extracting(Recommendation::setting)
          .containsExactly(
              "autovacuum_vacuum_scale_factor on public.churned",
              "autovacuum on public.unvacuumed");

      Recommendation churned = advice.get(0);
      assertThat(churned.current()).isEqualTo("0.2 (server)");
      // 50 + 0.2 x 2,900 rows, and 50 + 0.05 x 2,900
      assertThat(churned.reason())
          .contains("once 630 of its 2,900 rows are dead")
          .contains("At 0.05 that is 195 rows")
          .contains("ALTER TABLE public.churned SET (autovacuum_vacuum_scale_factor = 0.05)");
      assertThat(churned.measurement()).contains("700 rows updated (not HOT) or deleted");
      String library =
          db.queryString(
              "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'");
      if (Advisories.compare(library, "0.8.3") < 0) {
        // vacuuming an HNSW index can corrupt it there: more vacuums wait for the upgrade
        assertThat(churned.recommended()).isEqualTo("0.05 after upgrading pgvector");
        assertThat(churned.reason()).contains("hnsw-vacuum-corruption");
      } else {
        assertThat(churned.recommended()).isEqualTo("0.05");
      }

      Recommendation off = advice.get(1);
      assertThat(off.current()).isEqualTo("off");
      assertThat(off.recommended()).isEqualTo("on");
    }
  }
}
