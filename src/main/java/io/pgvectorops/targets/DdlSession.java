package io.pgvectorops.targets;

import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.NetworkTimeout;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs one maintenance statement (CREATE/REINDEX/DROP INDEX CONCURRENTLY, VACUUM) on a session of
 * its own, with a lock timeout always and settings chosen for it. The session is evicted from the
 * pool afterwards, so no other statement ever runs with these settings.
 */
public final class DdlSession {
  /**
   * @param maintenanceWorkMemBytes null keeps the server's setting
   * @param parallelWorkers null keeps the server's setting
   * @param statementTimeout zero for none (a build takes as long as it takes; lock_timeout bounds
   *     its waits)
   */
  public record Settings(
      Duration lockTimeout,
      Duration statementTimeout,
      Long maintenanceWorkMemBytes,
      Integer parallelWorkers) {}

  /** Something that follows the statement while it runs (a progress poller), closed after it. */
  public interface Watch extends AutoCloseable {
    @Override
    void close();

    Watch NONE = () -> {};
  }

  private DdlSession() {}

  /**
   * @param watchBackend given the session's backend pid before the statement starts
   * @return the notices the server sent while the statement ran (pgvector's "hnsw graph no longer
   *     fits into maintenance_work_mem after N tuples"), in order; empty for none
   */
  public static List<String> run(
      Target target, Settings settings, SqlFile ddl, IntFunction<Watch> watchBackend) {
    // no check for unfilled {placeholders} here: a filled definition may hold braces of its own
    // (an array literal in a partial index's predicate); SqlCatalogTest fills every template
    try (Connection s = target.dataSource().getConnection()) {
      int network = NetworkTimeout.allow(s, settings.statementTimeout().toMillis());
      try {
        s.setAutoCommit(true);
        int pid = apply(s, settings);
        try (Watch watch = watchBackend.apply(pid);
            Statement st = s.createStatement()) {
          st.execute(ddl.text());
          return notices(st.getWarnings());
        }
      } finally {
        // the pool would put it back on close, on a connection it has evicted by then
        restoreQuietly(s, network);
        // never back into the pool with these settings: evicted, it is closed on close()
        target.dataSource().evictConnection(s);
      }
    } catch (SQLException e) {
      throw new DbException(target.jdbc().where(), ddl.name(), e);
    }
  }

  /** The first few: a run summary keeps what was said, not a log. */
  private static List<String> notices(SQLWarning first) {
    List<String> out = new ArrayList<>();
    for (SQLWarning w = first; w != null && out.size() < 20; w = w.getNextWarning()) {
      out.add(w.getMessage());
    }
    return List.copyOf(out);
  }

  private static void restoreQuietly(Connection s, int networkTimeout) {
    try {
      NetworkTimeout.restore(s, networkTimeout);
    } catch (SQLException e) {
      // the session broke: it is evicted and closed anyway
    }
  }

  private static int apply(Connection s, Settings settings) throws SQLException {
    SqlFile set = SqlFile.load("session/maintenance_settings");
    try (PreparedStatement ps = s.prepareStatement(set.text())) {
      ps.setString(1, String.valueOf(settings.lockTimeout().toMillis()));
      ps.setString(2, String.valueOf(settings.statementTimeout().toMillis()));
      ps.setString(
          3,
          settings.maintenanceWorkMemBytes() == null
              ? null
              : String.valueOf(settings.maintenanceWorkMemBytes() / 1024));
      ps.setString(
          4,
          settings.parallelWorkers() == null ? null : String.valueOf(settings.parallelWorkers()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt("pid");
      }
    }
  }
}
