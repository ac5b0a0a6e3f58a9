package io.pgvectorops.scheduler;

import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.Liveness;
import io.pgvectorops.state.RunStore;
import io.pgvectorops.targets.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's record in the state database, its metrics and its one INFO line: started (or why not),
 * then ended with its findings, after which the alert engine looks at them.
 */
final class RunRecorder {
  /** The runner's log: operators follow a run's lines under one logger. */
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /** A run recorded as started, or the outcome of one that could not be. */
  record Start(Long runId, Instant at, RunOutcome refused) {}

  /** What one run used besides its wall time. */
  record Cost(Duration waitedForSlot, Duration cpu) {}

  private final RunStore runs;
  private final FindingStore findings;
  private final Liveness liveness;
  private final Clock clock;
  private final RunMetrics metrics;
  private final RunObserver observer;

  RunRecorder(
      RunStore runs,
      FindingStore findings,
      Liveness liveness,
      Clock clock,
      RunMetrics metrics,
      RunObserver observer) {
    this.runs = runs;
    this.findings = findings;
    this.liveness = liveness;
    this.clock = clock;
    this.metrics = metrics;
    this.observer = observer;
  }

  /**
   * The run's record; a scheduled fire another instance already recorded is skipped, and a state
   * database that cannot take the record fails the run before it starts.
   */
  Start start(
      JobDefinition job, Target target, Trigger trigger, Instant scheduledFor, boolean dryRun) {
    Instant started = clock.instant();
    try {
      return new Start(insert(job, target, trigger, scheduledFor, dryRun, started), started, null);
    } catch (DbException e) {
      if ("23505".equals(e.sqlState())) {
        LOG.info(
            "{}@{} - fire at {} was already run by another instance",
            job.name(),
            target.name(),
            scheduledFor);
        return new Start(
            null,
            started,
            outcome(
                null,
                job,
                target,
                started,
                started,
                JobResult.skipped("already run by another instance")));
      }
      LOG.error(
          "{}@{} - not started: cannot record the run in the state database: {}",
          job.name(),
          target.name(),
          e.getMessage());
      String error = "cannot record the run in the state database: " + e.getMessage();
      return new Start(
          null,
          started,
          outcome(null, job, target, started, clock.instant(), JobResult.failed(error, List.of())));
    }
  }

  long insert(
      JobDefinition job,
      Target target,
      Trigger trigger,
      Instant scheduledFor,
      boolean dryRun,
      Instant started) {
    return runs.start(
        job.name(),
        job.kind().name(),
        target.name(),
        trigger.name(),
        dryRun,
        scheduledFor,
        started,
        liveness);
  }

  /** A run recorded as started that will not run: the daemon began to stop. */
  void interrupted(long runId, String reason) {
    runs.finish(runId, RunStatus.interrupted.name(), clock.instant(), JobSummary.NONE, reason);
  }

  /** Stores the run's end and findings, counts it, logs its line and lets the alerts look. */
  RunOutcome ended(
      long runId,
      JobDefinition job,
      Target target,
      Instant started,
      boolean dryRun,
      JobResult result,
      Cost cost) {
    Instant ended = clock.instant();
    store(runId, job, target, ended, result);
    metrics.ended(
        job.name(),
        job.kind().name(),
        target.name(),
        result.status(),
        Duration.between(started, ended),
        cost.cpu(),
        cost.waitedForSlot());
    long waited = cost.waitedForSlot().toMillis();
    LOG.info(
        "{}@{} - run {} {} in {} ms{}, {} finding(s){}{}",
        job.name(),
        target.name(),
        runId,
        result.status(),
        Duration.between(started, ended).toMillis(),
        waited < 1000 ? "" : " (" + waited + " ms of it waiting for a slot on its server)",
        result.findings().size(),
        dryRun ? " (dry run)" : "",
        result.error() == null ? "" : ": " + result.error());
    return outcome(runId, job, target, started, ended, result);
  }

  private static RunOutcome outcome(
      Long runId,
      JobDefinition job,
      Target target,
      Instant started,
      Instant ended,
      JobResult result) {
    return new RunOutcome(
        runId,
        job.name(),
        target.name(),
        result.status(),
        started,
        ended,
        result.summary(),
        result.findings(),
        result.error());
  }

  private void store(
      long runId, JobDefinition job, Target target, Instant ended, JobResult result) {
    try {
      findings.record(
          job.name(), target.name(), runId, ended, result.findings(), result.complete());
      runs.finish(runId, result.status().name(), ended, result.summary(), result.error());
    } catch (DbException e) {
      LOG.error(
          "{}@{} - run {} ended {} but could not be recorded: {}",
          job.name(),
          target.name(),
          runId,
          result.status(),
          e.getMessage());
    }
    // a skipped run changed nothing, unless it says why it could not run (a finding)
    if (result.status() != RunStatus.skipped || !result.findings().isEmpty()) {
      try {
        observer.recorded(job, target.name(), runId);
      } catch (RuntimeException e) {
        LOG.error(
            "{}@{} - run {}: alert evaluation failed: {}",
            job.name(),
            target.name(),
            runId,
            e.getMessage(),
            e);
      }
    }
  }
}
