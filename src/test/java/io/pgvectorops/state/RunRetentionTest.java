package io.pgvectorops.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs and resolved findings past state.runDays are deleted in batches; what the daemon still shows
 * is kept: running runs, index rebuilds, and the runs open findings name.
 */
class RunRetentionTest {
  private static final io.pgvectorops.findings.FindingKind KIND =
      io.pgvectorops.findings.FindingKind.of(
          "retention-test", Finding.Severity.warning, Finding.Severity.warning);

  @Test
  void oldRunsAndResolvedFindingsGoWhatIsStillShownStays() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("retention");
    try (Components c =
        Stack.open(
            Stack.config(db, "retention_state", Files.createTempDirectory("jobs")),
            Clock.systemUTC())) {
      Instant old = Instant.now().minus(Duration.ofDays(100));
      Instant recent = Instant.now().minus(Duration.ofDays(1));
      RunStore runs = c.runs;
      List<Long> plain = new java.util.ArrayList<>();
      for (int i = 0; i < 7; i++) {
        plain.add(runs.start("health", "health", "main", "manual", false, null, old, c.liveness));
      }
      plain.forEach(
          id -> runs.finish(id, "succeeded", old, io.pgvectorops.jobs.JobSummary.NONE, null));
      long rebuild =
          runs.start("rebuild", "index-rebuild", "main", "manual", false, null, old, c.liveness);
      runs.finish(rebuild, "succeeded", old, io.pgvectorops.jobs.JobSummary.NONE, null);
      long stillRunning =
          runs.start("slow", "health", "main", "manual", false, null, old, c.liveness);
      long openFinding =
          runs.start("bloat", "bloat", "main", "manual", false, null, old, c.liveness);
      runs.finish(openFinding, "succeeded", old, io.pgvectorops.jobs.JobSummary.NONE, null);
      c.findings.record(
          "bloat",
          "main",
          openFinding,
          old,
          List.of(Finding.warning("public.t", KIND, "big", java.util.Map.of())),
          true);
      long resolvedRun =
          runs.start("sql", "sql-check", "main", "manual", false, null, old, c.liveness);
      runs.finish(resolvedRun, "succeeded", old, io.pgvectorops.jobs.JobSummary.NONE, null);
      c.findings.record(
          "sql",
          "main",
          resolvedRun,
          old,
          List.of(Finding.warning("x", KIND, "gone", java.util.Map.of())),
          true);
      long resolvingRun =
          runs.start(
              "sql", "sql-check", "main", "manual", false, null, old.plusSeconds(60), c.liveness);
      c.findings.record("sql", "main", resolvingRun, old.plusSeconds(60), List.of(), true);
      runs.finish(
          resolvingRun,
          "succeeded",
          old.plusSeconds(60),
          io.pgvectorops.jobs.JobSummary.NONE,
          null);
      long fresh =
          runs.start("health", "health", "main", "manual", false, null, recent, c.liveness);
      runs.finish(fresh, "succeeded", recent, io.pgvectorops.jobs.JobSummary.NONE, null);

      // batches of 3: several statements, each one short
      RunStore.Pruned p = runs.prune(Instant.now().minus(Duration.ofDays(90)), 3);

      assertThat(p.findings()).isEqualTo(1);
      assertThat(p.runs()).isEqualTo(7 + 2);
      for (long id : plain) {
        assertThat(runs.get(id)).isEmpty();
      }
      assertThat(runs.get(resolvedRun)).isEmpty();
      assertThat(runs.get(resolvingRun)).isEmpty();
      assertThat(runs.get(rebuild)).isPresent();
      assertThat(runs.get(stillRunning)).isPresent();
      assertThat(runs.get(openFinding)).isPresent();
      assertThat(runs.get(fresh)).isPresent();
      assertThat(runs.prune(Instant.now().minus(Duration.ofDays(90)), 3))
          .isEqualTo(new RunStore.Pruned(0, 0));
    }
  }
}
