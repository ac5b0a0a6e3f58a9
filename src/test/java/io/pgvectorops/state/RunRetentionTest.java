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
        plain.add(finishedRun(c, "health", "health", old));
      }
      long rebuild = finishedRun(c, "rebuild", "index-rebuild", old);
      long stillRunning =
          runs.start("slow", "health", "main", "manual", false, null, old, c.liveness);
      long openFinding = finishedRun(c, "bloat", "bloat", old);
      warn(c, "bloat", openFinding, old, "public.t", "big");
      long resolvedRun = finishedRun(c, "sql", "sql-check", old);
      warn(c, "sql", resolvedRun, old, "x", "gone");
      long resolvingRun = finishedRun(c, "sql", "sql-check", old.plusSeconds(60));
      c.findings.record("sql", "main", resolvingRun, old.plusSeconds(60), List.of(), true);
      long fresh = finishedRun(c, "health", "health", recent);

      // batches of 3: several statements, each one short
      RunStore.Pruned p =
          runs.prune(Instant.now().minus(Duration.ofDays(90)), 3, List.of("index-rebuild"));

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
      assertThat(runs.prune(Instant.now().minus(Duration.ofDays(90)), 3, List.of("index-rebuild")))
          .isEqualTo(new RunStore.Pruned(0, 0));
    }
  }

  /** A manual run of this job on target main that started and succeeded at {@code at}. */
  private static long finishedRun(Components c, String job, String kind, Instant at) {
    long id = c.runs.start(job, kind, "main", "manual", false, null, at, c.liveness);
    c.runs.finish(id, "succeeded", at, io.pgvectorops.jobs.JobSummary.NONE, null);
    return id;
  }

  /** The run's only finding: a warning on {@code object}, still open. */
  private static void warn(
      Components c, String job, long run, Instant at, String object, String message) {
    c.findings.record(
        job,
        "main",
        run,
        at,
        List.of(Finding.warning(object, KIND, message, java.util.Map.of())),
        true);
  }
}
