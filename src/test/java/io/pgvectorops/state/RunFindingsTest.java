package io.pgvectorops.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run's findings (GET /api/runs/{id}, the run page) are every finding it raised or confirmed,
 * also for the runs between a finding's first and its latest, which once listed nothing.
 */
class RunFindingsTest {
  private static final FindingKind KIND =
      FindingKind.of("run-findings-test", Finding.Severity.warning, Finding.Severity.warning);

  @Test
  void everyRunThatSawAFindingListsIt() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("run_findings");
    try (Components c =
        Stack.withJobs(db, "run_findings_state", Files.createTempDirectory("rf"), Map.of())) {
      Instant at = Instant.now();
      long first = run(c, at, "public.a");
      long middle = run(c, at.plusSeconds(60), "public.a", "public.b");
      long latest = run(c, at.plusSeconds(120), "public.a");
      long clean = run(c, at.plusSeconds(180));

      assertThat(objects(c, first)).containsExactly("public.a");
      assertThat(objects(c, middle)).containsExactly("public.a", "public.b");
      assertThat(objects(c, latest)).containsExactly("public.a");
      assertThat(objects(c, clean)).isEmpty();
      // as the findings stand now: b was resolved by the latest run, which did not see it
      assertThat(c.findings.ofRun(middle))
          .filteredOn(f -> f.object().equals("public.b"))
          .singleElement()
          .satisfies(f -> assertThat(f.resolvedAt()).isNotNull());
    }
  }

  /** A complete bloat run on target main that saw a warning on each object. */
  private static long run(Components c, Instant at, String... objects) {
    long id = c.runs.start("bloat", "bloat", "main", "manual", false, null, at, c.liveness);
    c.runs.finish(id, "succeeded", at, io.pgvectorops.jobs.JobSummary.NONE, null);
    List<Finding> seen =
        java.util.Arrays.stream(objects)
            .map(o -> Finding.warning(o, KIND, "big", Map.of()))
            .toList();
    c.findings.record("bloat", "main", id, at, seen, true);
    return id;
  }

  private static List<String> objects(Components c, long run) {
    return c.findings.ofRun(run).stream().map(FindingRecord::object).toList();
  }
}
