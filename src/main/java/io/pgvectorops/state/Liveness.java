package io.pgvectorops.state;

import io.pgvectorops.sql.SqlFile;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves this process is alive to other instances: a session-level advisory lock on the state
 * database, keyed by a random owner key stored with each run. When the process dies (even by kill
 * -9) its session ends, the lock vanishes, and any instance can mark its runs interrupted.
 */
public class Liveness implements AutoCloseable {
  /**
   * Advisory lock class ("pgvo"): keeps our keys apart from an application's own advisory locks.
   */
  public static final int LOCK_CLASS = 0x7067766f;

  private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);
  private final DataSource dataSource;
  private final String instanceId;
  private final int ownerKey = 1 + new SecureRandom().nextInt(Integer.MAX_VALUE - 1);
  private Connection held;

  public Liveness(DataSource dataSource, String instanceId) {
    this.dataSource = dataSource;
    this.instanceId = instanceId;
  }

  public String instanceId() {
    return instanceId;
  }

  public int ownerKey() {
    return ownerKey;
  }

  /** Takes the lock, or takes it again after the state database came back. */
  public synchronized void ensureHeld() {
    try {
      if (held != null && held.isValid(5)) {
        return;
      }
      closeQuietly();
      held = dataSource.getConnection();
      try (PreparedStatement ps =
          held.prepareStatement(SqlFile.load("store/liveness_lock").text())) {
        ps.setInt(1, LOCK_CLASS);
        ps.setInt(2, ownerKey);
        ps.execute();
      }
    } catch (SQLException e) {
      closeQuietly();
      LOG.warn("state database - cannot hold the liveness lock: {}", e.getMessage());
    }
  }

  private void closeQuietly() {
    if (held != null) {
      try {
        held.close();
      } catch (SQLException e) {
        // the connection is being replaced
        LOG.debug("state database - closing the liveness session: {}", e.getMessage());
      }
      held = null;
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
