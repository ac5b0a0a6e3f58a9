package io.pgvectorops.testing;

import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.MaintenanceWindow;
import java.util.List;

/** A job kind made in a test: a name, whether it writes, and what a run does. */
public record FakeKind(String name, boolean writes, Job job) {
  /** Any finding kind by name, every severity allowed (tests raise what they need). */
  public static FindingKind finding(String name) {
    return FindingKind.of(name, Severity.info, Severity.critical);
  }

  public JobKind kind() {
    JobKind.Builder<Object> b =
        JobKind.named(
            name,
            Object.class,
            (d, p, s) -> {
              if (job == null) {
                throw new UnsupportedOperationException("this fake kind only describes itself");
              }
              return job;
            });
    return (writes ? b.writes() : b).build();
  }

  /** A job of this kind on target "main". */
  public JobDefinition definition(String jobName, MaintenanceWindow window) {
    return new JobDefinition(
        jobName,
        kind(),
        "0 * * * * ?",
        List.of("main"),
        io.pgvectorops.jobs.TargetSelection.EVERY,
        window,
        false,
        null,
        "test",
        null);
  }
}
