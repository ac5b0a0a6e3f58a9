package io.pgvectorops.scheduler;

import io.pgvectorops.common.Threads;
import io.pgvectorops.config.JdbcUrls;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.InstalledKinds;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.jobs.Unreachable;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.Liveness;
import io.pgvectorops.state.RunStore;
import io.pgvectorops.targets.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job on one target under the runtime rules: a run record, the cross-instance advisory
 * lock in the target, the maintenance window, the standby gate for write kinds, findings, and
 * cancellation on shutdown. Never throws: every outcome, including our own bugs, is recorded.
 */
public class JobRunner {
  /** Advisory lock class for run locks in targets ("pgvr"), apart from applications' locks. */
  public static final int RUN_LOCK_CLASS = 0x70677672;

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final JobCatalog catalog;
  private final InstalledKinds kinds;
  private final RunStore runs;
  private final Clock clock;
  private final RunMetrics metrics;
  private final RunRecorder recorder;
  private final Map<Long, Connection> active = new ConcurrentHashMap<>();
  private final ExecutorService manualRuns =
      Executors.newFixedThreadPool(2, Threads.named("manual-run"));
  private volatile boolean stopping;
  private final ServerSlots slots;

  public JobRunner(
      JobCatalog catalog,
      InstalledKinds kinds,
      RunStore runs,
      FindingStore findings,
      Liveness liveness,
      Clock clock,
      RunMetrics metrics,
      RunObserver observer,
      int maxConcurrentRunsPerServer) {
    this.slots = new ServerSlots(maxConcurrentRunsPerServer);
    this.catalog = catalog;
    this.kinds = kinds;
    this.runs = runs;
    this.clock = clock;
    this.metrics = metrics;
    this.recorder = new RunRecorder(runs, findings, liveness, clock, metrics, observer);
  }

  /** Runs now on the calling thread. */
  public RunOutcome run(
      JobDefinition job, Target target, Trigger trigger, Instant scheduledFor, boolean dryRun) {
    RunRecorder.Start start = recorder.start(job, target, trigger, scheduledFor, dryRun);
    if (start.refused() != null) {
      return start.refused();
    }
    return complete(start.runId(), job, target, trigger, start.at(), dryRun);
  }

  /** A scheduled fire of {@code job} that Quartz could not hand a thread in time. */
  void misfired(String job) {
    metrics.misfired(job);
  }

  /** Records the run now and runs it in the background; for the API's "run now". */
  public long submit(JobDefinition job, Target target, Trigger trigger, boolean dryRun) {
    if (stopping) {
      throw new IllegalStateException("the daemon is shutting down");
    }
    Instant started = clock.instant();
    long runId = recorder.insert(job, target, trigger, null, dryRun, started);
    try {
      manualRuns.submit(() -> complete(runId, job, target, trigger, started, dryRun));
    } catch (RejectedExecutionException e) {
      // shutdown began between the check and the submit: the run must not stay 'running'
      recorder.interrupted(runId, "the daemon is shutting down");
      throw new IllegalStateException("the daemon is shutting down", e);
    }
    return runId;
  }

  private RunOutcome complete(
      long runId,
      JobDefinition job,
      Target target,
      Trigger trigger,
      Instant started,
      boolean dryRun) {
    JobResult result;
    Duration waited = Duration.ZERO;
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    try (ServerSlots.Slot slot = slots.acquire(JdbcUrls.server(target.config().url))) {
      waited = slot.waited();
      result = execute(runId, job, target, trigger, dryRun);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result =
          JobResult.interrupted("the daemon stopped while the run waited for its server's slot");
    } catch (Throwable t) {
      LOG.error("{}@{} - run {} failed unexpectedly", job.name(), target.name(), runId, t);
      result = JobResult.failed("internal error: " + t, List.of());
    }
    if (stopping && result.status() == RunStatus.failed) {
      result = JobResult.interrupted("the daemon was shutting down: " + result.error());
    }
    return recorder.ended(
        runId,
        job,
        target,
        started,
        dryRun,
        result,
        new RunRecorder.Cost(
            waited, Duration.ofNanos(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpu0))));
  }

  private JobResult execute(
      long runId, JobDefinition job, Target target, Trigger trigger, boolean dryRun) {
    Instant now = clock.instant();
    if (trigger.honoursWindow() && job.window() != null && !job.window().contains(now)) {
      return JobResult.skipped("outside maintenance window " + job.window());
    }
    if (stopping) {
      return JobResult.interrupted("the daemon is shutting down");
    }
    Job work = job.kind().create(job, kinds.services(job.kind()));
    RunSession session = RunSession.open(job, target, work, now);
    if (session.result() != null) {
      return session.result();
    }
    return runLocked(runId, job, target, dryRun, work, session.connection(), session.locked());
  }

  private JobResult runLocked(
      long runId,
      JobDefinition job,
      Target target,
      boolean dryRun,
      Job work,
      Connection c,
      boolean locked) {
    boolean broken = false;
    active.put(runId, c);
    try {
      if (!locked) {
        return JobResult.skipped(
            "another run of job " + job.name() + " holds its lock on target " + target.name());
      }
      if (job.kind().writes() && inRecovery(target, c)) {
        return JobResult.skipped(
            "target "
                + target.name()
                + " is a standby (pg_is_in_recovery): "
                + job.kind().name()
                + " changes data and runs only on a primary");
      }
      return work.run(
          new JobContext(
              runId,
              job,
              target,
              c,
              dryRun,
              clock,
              catalog,
              () -> stopping,
              progress -> runs.progress(runId, progress)));
    } catch (DbException e) {
      broken = e.isConnectionFailure();
      return JobResult.failed(
          e.getMessage(),
          e.isNoAnswer() ? stoppedAnswering(target, work, clock.instant(), e) : List.of());
    } finally {
      active.remove(runId);
      RunSession.release(target, c, job.name(), locked, broken);
    }
  }

  private static boolean inRecovery(Target target, Connection c) {
    return target
        .jdbc()
        .query(c, SqlFile.load("probes/in_recovery"), rs -> rs.getBoolean(1))
        .get(0);
  }

  /**
   * A target that stopped answering mid-statement is unreachable for the API and the alerts at
   * once, whatever the kind of the run that noticed: health's own finding, or the same kind of
   * finding raised for this run.
   */
  private List<Finding> stoppedAnswering(Target target, Job work, Instant now, DbException e) {
    List<Finding> raised = work.whenUnreachable(target.name(), e, now);
    if (!raised.isEmpty()) {
      return raised;
    }
    return List.of(
        Unreachable.recorded(
            kinds.shared().inventory(),
            target.name(),
            "target " + target.name() + " stopped answering: " + e.detail(),
            e,
            now));
  }

  /** Stops taking runs, cancels the statements of running ones and waits up to {@code wait}. */
  public void shutdown(Duration wait) {
    stopping = true;
    cancelRunning();
    manualRuns.shutdown();
    try {
      manualRuns.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void cancelRunning() {
    active.forEach(
        (runId, c) -> {
          try {
            c.unwrap(PGConnection.class).cancelQuery();
          } catch (SQLException e) {
            LOG.debug("run {} - cancel failed: {}", runId, e.getMessage());
          }
        });
  }

  public boolean isStopping() {
    return stopping;
  }

  public int activeRuns() {
    return active.size();
  }
}
