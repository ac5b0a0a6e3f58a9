package io.pgvectorops.jobs;

import io.pgvectorops.targets.Target;
import java.sql.Connection;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a run may use: its target (pool for extra connections), the session that holds the run's
 * advisory lock (with the target's statement and lock timeouts set), and the clock. Long jobs check
 * {@code stopRequested} between steps: the daemon is shutting down.
 */
public record JobContext(
    long runId,
    JobDefinition job,
    Target target,
    Connection connection,
    boolean dryRun,
    Clock clock,
    JobCatalog catalog,
    BooleanSupplier stopRequested,
    Consumer<JobSummary> progress) {
  /** The same run on another target's session (a lab target a job names). */
  public JobContext on(Target other, Connection session) {
    return new JobContext(
        runId, job, other, session, dryRun, clock, catalog, stopRequested, progress);
  }
}
