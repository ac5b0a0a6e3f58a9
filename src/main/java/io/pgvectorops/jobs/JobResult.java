package io.pgvectorops.jobs;

import io.pgvectorops.findings.Finding;
import java.util.List;

/**
 * How a run ended, what it saw and what it did. {@code complete} says the run looked at everything
 * it is responsible for, so findings it did not see again can be resolved.
 */
public record JobResult(
    RunStatus status, JobSummary summary, List<Finding> findings, String error, boolean complete) {

  public static JobResult succeeded(JobSummary summary, List<Finding> findings) {
    return new JobResult(RunStatus.succeeded, summary, List.copyOf(findings), null, true);
  }

  /** Succeeded, but stopped before it looked at everything: unseen findings stay open. */
  public static JobResult partial(JobSummary summary, List<Finding> findings) {
    return new JobResult(RunStatus.succeeded, summary, List.copyOf(findings), null, false);
  }

  public static JobResult failed(String error, List<Finding> findings) {
    return new JobResult(RunStatus.failed, JobSummary.NONE, List.copyOf(findings), error, false);
  }

  /** A run that failed after doing part of its work: what it did stays in its summary. */
  public static JobResult failed(String error, JobSummary summary, List<Finding> findings) {
    return new JobResult(RunStatus.failed, summary, List.copyOf(findings), error, false);
  }

  public static JobResult skipped(String reason) {
    return skipped(reason, List.of());
  }

  /** Skipped, with findings that say what to fix so the next run does not skip. */
  public static JobResult skipped(String reason, List<Finding> findings) {
    return new JobResult(
        RunStatus.skipped, new JobSummary.Skipped(reason), List.copyOf(findings), null, false);
  }

  public static JobResult interrupted(String reason) {
    return new JobResult(RunStatus.interrupted, JobSummary.NONE, List.of(), reason, false);
  }
}
