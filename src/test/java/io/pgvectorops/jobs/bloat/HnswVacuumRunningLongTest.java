package io.pgvectorops.jobs.bloat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VACUUM working on a table with an HNSW index after 40% of its rows were deleted, throttled
 * (vacuum_cost_delay) so it stays in its index phase while the bloat job looks: the job reports
 * hnsw-vacuum-running-long naming the index, the vacuum's pid and the rebuild it compares with;
 * once the vacuum is cancelled, the next run resolves it.
 */
class HnswVacuumRunningLongTest {
  @TempDir Path dir;

  @Test
  void aVacuumOfAnHnswTableRunningLongerThanARebuildIsReportedWhileItRuns() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("vacuum_long");
    db.execute(
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(32)) WITH (autovacuum_enabled = off)",
        "INSERT INTO docs (e) SELECT rv(32) FROM generate_series(1, 3000)",
        "CREATE INDEX docs_hnsw ON docs USING hnsw (e vector_l2_ops)",
        "DELETE FROM docs WHERE id % 5 < 2",
        "ANALYZE docs");
    String job =
        "name: bloat\nkind: bloat\nschedule: '0 0 0 1 1 ?'\n"
            + "params: {vacuumLongerThan: 1s, rebuildBytesPerSecond: 100MiB}\n";
    try (Components c = Stack.withJobs(db, "vacuum_long_state", dir, Map.of("bloat.yml", job));
        Connection vacuuming = db.connect()) {
      int pid;
      try (Statement s = vacuuming.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
        // every page it touches costs a 100 ms pause: minutes for the index, as a big one takes
        s.execute("SET vacuum_cost_delay = 100");
        s.execute("SET vacuum_cost_limit = 1");
      }
      CompletableFuture<Void> vacuum =
          CompletableFuture.runAsync(
              () -> {
                try (Statement s = vacuuming.createStatement()) {
                  s.execute("VACUUM docs");
                } catch (Exception e) {
                  // cancelled by the test, as an operator would
                }
              });
      await("the vacuum in its index phase for over a second")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> inIndexPhaseFor(db, pid) >= 2);

      RunOutcome o = Stack.runNow(c, "bloat");
      assertThat(o.status()).isEqualTo(RunStatus.succeeded);
      assertThat(o.findings())
          .filteredOn(f -> f.kind().equals("hnsw-vacuum-running-long"))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.object()).isEqualTo("public.docs_hnsw");
                assertThat(f.severity()).isEqualTo(Finding.Severity.warning);
                assertThat(f.message())
                    .contains("VACUUM of public.docs (pid " + pid + ", phase vacuuming indexes)")
                    .contains("rebuildBytesPerSecond 100.0 MiB/s (no rebuild of it recorded)")
                    .contains("REINDEX INDEX CONCURRENTLY public.docs_hnsw");
                assertThat(f.metrics()).containsEntry("pid", pid);
              });
      System.out.println("HnswVacuumRunningLongTest: " + o.findings());

      db.execute("SELECT pg_cancel_backend(" + pid + ")");
      vacuum.get();
      RunOutcome after = Stack.runNow(c, "bloat");
      assertThat(after.findings())
          .extracting(Finding::kind)
          .doesNotContain("hnsw-vacuum-running-long");
    }
  }

  @Test
  void theRebuildEstimateIsTheIndexsOwnLastRebuildSpeedWhereOneIsRecorded() {
    BloatParams p = new BloatParams();
    LongIndexVacuums.Running running =
        new LongIndexVacuums.Running(
            1, "public.t", "public.t_hnsw", 600L << 20, "vacuuming indexes", true, 3600);
    LongIndexVacuums v = new LongIndexVacuums(p, Optional.empty());
    // none recorded: the size at rebuildBytesPerSecond (2 MB/s): 600 MiB in 315 s
    assertThat(v.estimate(running, List.of()).seconds()).isEqualTo(315);
    RebuildHistory.Rebuild older =
        new RebuildHistory.Rebuild(
            7,
            Instant.parse("2026-11-01T00:00:00Z"),
            "public.t_hnsw",
            "bloat",
            100.0,
            900L << 20,
            200L << 20);
    RebuildHistory.Rebuild latest =
        new RebuildHistory.Rebuild(
            9,
            Instant.parse("2026-11-20T00:00:00Z"),
            "public.t_hnsw",
            "bloat",
            60.0,
            500L << 20,
            300L << 20);
    RebuildHistory.Rebuild other =
        new RebuildHistory.Rebuild(
            8,
            Instant.parse("2026-11-25T00:00:00Z"),
            "public.u_hnsw",
            "bloat",
            1.0,
            1L << 20,
            1L << 20);
    // the latest of its own: 300 MiB in 60 s, so 600 MiB in 120 s
    io.pgvectorops.jobs.RebuildTime e = v.estimate(running, List.of(older, latest, other));
    assertThat(e.seconds()).isEqualTo(120);
    assertThat(e.from()).isEqualTo("its rebuild by run 9: 60 s for 300.0 MiB");
  }

  /** Seconds the backend's VACUUM has been in its index phase, or -1 before it gets there. */
  private static long inIndexPhaseFor(TestPostgres.Database db, int pid) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT p.phase, extract(epoch FROM clock_timestamp() - a.query_start)::bigint"
                    + " FROM pg_stat_progress_vacuum p JOIN pg_stat_activity a USING (pid)"
                    + " WHERE p.pid = "
                    + pid)) {
      return rs.next() && rs.getString(1).equals("vacuuming indexes") ? rs.getLong(2) : -1;
    }
  }
}
