package io.pgvectorops.scheduler;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.pgvectorops.common.Text;
import io.pgvectorops.common.Threads;
import io.pgvectorops.config.JdbcUrls;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.InstalledKinds;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
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
import java.sql.SQLTransientConnectionException;
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
  private final FindingStore findings;
  private final Liveness liveness;
  private final Clock clock;
  private final RunMetrics metrics;
  private final RunObserver observer;
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
    this.findings = findings;
    this.liveness = liveness;
    this.clock = clock;
    this.metrics = metrics;
    this.observer = observer;
  }

  /** Runs now on the calling thread. */
  public RunOutcome run(
      JobDefinition job, Target target, Trigger trigger, Instant scheduledFor, boolean dryRun) {
    Instant started = clock.instant();
    long runId;
    try {
      runId =
          runs.start(
              job.name(),
              job.kind().name(),
              target.name(),
              trigger.name(),
              dryRun,
              scheduledFor,
              started,
              liveness);
    } catch (DbException e) {
      if ("23505".equals(e.sqlState())) {
        LOG.info(
            "{}@{} - fire at {} was already run by another instance",
            job.name(),
            target.name(),
            scheduledFor);
        return new RunOutcome(
            null,
            job.name(),
            target.name(),
            RunStatus.skipped,
            started,
            started,
            new JobSummary.Skipped("already run by another instance"),
            List.of(),
            null);
      }
      LOG.error(
          "{}@{} - not started: cannot record the run in the state database: {}",
          job.name(),
          target.name(),
          e.getMessage());
      return new RunOutcome(
          null,
          job.name(),
          target.name(),
          RunStatus.failed,
          started,
          clock.instant(),
          JobSummary.NONE,
          List.of(),
          "cannot record the run in the state database: " + e.getMessage());
    }
    return complete(runId, job, target, trigger, started, dryRun);
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
    long runId =
        runs.start(
            job.name(),
            job.kind().name(),
            target.name(),
            trigger.name(),
            dryRun,
            null,
            started,
            liveness);
    try {
      manualRuns.submit(() -> complete(runId, job, target, trigger, started, dryRun));
    } catch (RejectedExecutionException e) {
      // shutdown began between the check and the submit: the run must not stay 'running'
      runs.finish(
          runId,
          RunStatus.interrupted.name(),
          clock.instant(),
          JobSummary.NONE,
          "the daemon is shutting down");
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
    Instant ended = clock.instant();
    record(runId, job, target, ended, result);
    metrics.ended(
        job.name(),
        job.kind().name(),
        target.name(),
        result.status(),
        Duration.between(started, ended),
        Duration.ofNanos(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpu0)),
        waited);
    LOG.info(
        "{}@{} - run {} {} in {} ms{}, {} finding(s){}{}",
        job.name(),
        target.name(),
        runId,
        result.status(),
        Duration.between(started, ended).toMillis(),
        waited.toMillis() < 1000
            ? ""
            : " (" + waited.toMillis() + " ms of it waiting for a slot on its server)",
        result.findings().size(),
        dryRun ? " (dry run)" : "",
        result.error() == null ? "" : ": " + result.error());
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

  /** Stores the run's end and findings, then lets the alert engine look at them. */
  private void record(
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
    Session session = lockSession(job, target, work, now);
    if (session.result() != null) {
      return session.result();
    }
    return runLocked(runId, job, target, dryRun, work, session.connection(), session.locked());
  }

  /** A session for the run and whether it took the job's lock, or why the run cannot start. */
  private record Session(Connection connection, boolean locked, JobResult result) {}

  /** A pooled session can have died with a server restart since its last use: one fresh retry. */
  private Session lockSession(JobDefinition job, Target target, Job work, Instant now) {
    for (int attempt = 1; ; attempt++) {
      Connection c;
      try {
        c = target.dataSource().getConnection();
      } catch (SQLException e) {
        return new Session(null, false, cannotConnect(target, work, now, e));
      }
      try {
        boolean locked =
            target
                .jdbc()
                .query(
                    c,
                    SqlFile.load("probes/run_lock_try"),
                    rs -> rs.getBoolean(1),
                    RUN_LOCK_CLASS,
                    job.name())
                .get(0);
        return new Session(c, locked, null);
      } catch (DbException e) {
        release(target, c, job.name(), false, true);
        if (!e.isConnectionFailure() || e.isNoAnswer() || attempt >= 2) {
          return new Session(null, false, JobResult.failed(e.getMessage(), List.of()));
        }
        LOG.warn(
            "{}@{} - the pooled session was dead ({}): retrying once on a fresh connection",
            job.name(),
            target.name(),
            Text.firstLine(e.detail()));
        // a restart killed every idle connection of the pool, not only this one
        target.dataSource().getHikariPoolMXBean().softEvictConnections();
      }
    }
  }

  private static JobResult cannotConnect(Target target, Job work, Instant now, SQLException e) {
    DbException cause = new DbException(target.jdbc().where(), null, e);
    if (target.config().discoveredBy != null && databaseGone(e)) {
      // dropped since the last re-list: not an outage, and it leaves the schedule at the next
      return JobResult.skipped(
          "the database of target "
              + target.name()
              + " no longer exists; it leaves the schedule at the next re-list of "
              + target.config().discoveredBy);
    }
    if (poolBusy(e, target.dataSource())) {
      // the target answers; other runs (a rebuild holds two sessions) have every connection
      return JobResult.skipped(
          "all "
              + target.dataSource().getMaximumPoolSize()
              + " connections to target "
              + target.name()
              + " stayed busy with other runs for its connectTimeout (targets[].maxConnections):"
              + " the next fire runs it");
    }
    List<Finding> raised = work.whenUnreachable(target.name(), cause, now);
    return JobResult.failed(
        "cannot connect to target " + target.name() + ": " + cause.detail(), raised);
  }

  /** invalid_catalog_name, here or in what the pool wrapped. */
  private static boolean databaseGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && "3D000".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
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
      if (job.kind().writes()
          && target
              .jdbc()
              .query(c, SqlFile.load("probes/in_recovery"), rs -> rs.getBoolean(1))
              .get(0)) {
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
      release(target, c, job.name(), locked, broken);
    }
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

  /** The lock must never outlive the run: if releasing fails, the session is closed instead. */
  /**
   * Every connection is in use by other runs and none came free in time: Hikari's transient
   * exception with no cause while the pool is full. When the server cannot be reached the cause is
   * the connection error; a pool that is not full and still had no connection to give could not log
   * in in time (no answer at login), which is unreachable too, never "busy".
   */
  static boolean poolBusy(SQLException e, HikariDataSource pool) {
    if (!(e instanceof SQLTransientConnectionException) || e.getCause() != null) {
      return false;
    }
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    return bean == null || bean.getActiveConnections() >= pool.getMaximumPoolSize();
  }

  private static void release(
      Target target, Connection c, String job, boolean locked, boolean broken) {
    boolean evict = broken;
    if (locked && !broken) {
      try {
        target
            .jdbc()
            .query(
                c,
                SqlFile.load("probes/run_lock_release"),
                rs -> rs.getBoolean(1),
                RUN_LOCK_CLASS,
                job);
      } catch (DbException e) {
        evict = true;
      }
    }
    if (evict) {
      target.dataSource().evictConnection(c);
    }
    try {
      c.close();
    } catch (SQLException e) {
      // closing a broken connection; the pool has already discarded it
      LOG.debug("{}@{} - closing its session: {}", job, target.name(), e.getMessage());
    }
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
