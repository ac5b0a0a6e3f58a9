package io.pgvectorops.scheduler;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.targets.Target;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;

/**
 * What a run's failure to get a connection to its target means: a discovered database that is gone
 * (skipped), a pool kept busy by other runs (skipped), or a target that cannot be reached (failed,
 * with the kind's unreachable findings).
 */
final class ConnectFailures {
  private ConnectFailures() {}

  static JobResult outcome(Target target, Job work, Instant now, SQLException e) {
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
}
