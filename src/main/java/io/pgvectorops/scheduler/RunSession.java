package io.pgvectorops.scheduler;

import io.pgvectorops.common.Text;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session a run works on: taken from the target's pool with the job's advisory lock tried on
 * it, and given back with the lock released, or evicted when it broke or the release failed.
 *
 * @param result why the run cannot start (null when it has a session)
 */
record RunSession(Connection connection, boolean locked, JobResult result) {
  /** The runner's log: operators follow a run's lines under one logger. */
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /** A pooled session can have died with a server restart since its last use: one fresh retry. */
  static RunSession open(JobDefinition job, Target target, Job work, Instant now) {
    for (int attempt = 1; ; attempt++) {
      Connection c;
      try {
        c = target.dataSource().getConnection();
      } catch (SQLException e) {
        return new RunSession(null, false, ConnectFailures.outcome(target, work, now, e));
      }
      try {
        return new RunSession(c, tryLock(target, c, job.name()), null);
      } catch (DbException e) {
        release(target, c, job.name(), false, true);
        if (!e.isConnectionFailure() || e.isNoAnswer() || attempt >= 2) {
          return new RunSession(null, false, JobResult.failed(e.getMessage(), List.of()));
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

  private static boolean tryLock(Target target, Connection c, String job) {
    return target
        .jdbc()
        .query(
            c,
            SqlFile.load("probes/run_lock_try"),
            rs -> rs.getBoolean(1),
            JobRunner.RUN_LOCK_CLASS,
            job)
        .get(0);
  }

  /** The lock must never outlive the run: if releasing fails, the session is closed instead. */
  static void release(Target target, Connection c, String job, boolean locked, boolean broken) {
    boolean evict = broken;
    if (locked && !broken) {
      try {
        target
            .jdbc()
            .query(
                c,
                SqlFile.load("probes/run_lock_release"),
                rs -> rs.getBoolean(1),
                JobRunner.RUN_LOCK_CLASS,
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
}
