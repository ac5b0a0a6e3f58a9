package io.pgvectorops.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.pgvectorops.common.Text;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where JDBC calls happen and {@link SQLException} becomes {@link DbException}.
 * {@code where} names the database for messages ("target prod", "state").
 */
public final class Jdbc {
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  public interface ConnectionWork<T> {
    T apply(Connection c) throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

  private final String where;
  private final DataSource dataSource;
  private final boolean retryDeadConnections;
  private final Reachability reachability;

  public Jdbc(String where, DataSource dataSource) {
    this(where, dataSource, false);
  }

  /**
   * @param retryDeadConnections a unit of work whose connection turns out dead (the server
   *     restarted since the pool last used it) before any of its statements succeeded runs once
   *     more on a fresh connection; see {@link #withConnection}
   */
  public Jdbc(String where, DataSource dataSource, boolean retryDeadConnections) {
    this.where = where;
    this.dataSource = dataSource;
    this.retryDeadConnections = retryDeadConnections;
    this.reachability =
        new Reachability(Clock.systemUTC(), Reachability.BACKGROUND, this::tryConnecting);
  }

  public String where() {
    return where;
  }

  /**
   * Runs work on a pooled connection. Where this Jdbc retries dead connections: when the work fails
   * with a connection-level error (class 08, 57P0x, the driver's I/O errors) on a connection the
   * pool gave it, before any statement or commit of the work succeeded, the pool's idle connections
   * are dropped and the work runs once more on a fresh one, with one log line. Never after a
   * statement succeeded, never when the connection could not be had (the server is down: the caller
   * hears it now), never when the server stopped answering (a partition: the wait would double),
   * and never on a caller's connection (the methods taking a {@link Connection}).
   */
  public <T> T withConnection(ConnectionWork<T> work) {
    CountingConnection.Unit unit = new CountingConnection.Unit();
    try {
      return attempt(work, unit);
    } catch (DbException e) {
      if (!retryDeadConnections
          || !unit.connected()
          || unit.succeeded() > 0
          || !e.isConnectionFailure()
          || e.isNoAnswer()) {
        throw e;
      }
      LOG.warn(
          "{}: a pooled connection was dead before any statement of the work succeeded ({}):"
              + " retrying once on a fresh connection",
          where,
          Text.firstLine(e.detail()));
      if (dataSource instanceof HikariDataSource pool) {
        // a restart killed every idle connection, not only this one
        pool.getHikariPoolMXBean().softEvictConnections();
      }
      return attempt(work, new CountingConnection.Unit());
    }
  }

  private <T> T attempt(ConnectionWork<T> work, CountingConnection.Unit unit) {
    try (Connection c = connection()) {
      unit.connected(true);
      NetworkTimeout.applyPatience(c); // the pool puts the connection's own timeout back
      return work.apply(retryDeadConnections ? CountingConnection.wrap(c, unit) : c);
    } catch (SQLException e) {
      throw new DbException(where, null, e);
    }
  }

  /** A pooled connection; a patient caller is not made to wait for a database known unreachable. */
  private Connection connection() throws SQLException {
    if (NetworkTimeout.patient()) {
      reachability.admitPatient();
    }
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      // down, refused, a login refused, too many connections: the server said why (a pool only
      // busy with our own sessions says nothing, and is no reason to turn callers away)
      if (e.getSQLState() != null) {
        reachability.failed(e);
      }
      throw e;
    }
    reachability.reached();
    return c;
  }

  /** Reachability's background try: what it finds is recorded by {@link #connection}. */
  private void tryConnecting() {
    try (Connection c = connection()) {
      LOG.debug("{}: reachable again", where);
    } catch (SQLException e) {
      LOG.debug("{}: still unreachable: {}", where, Text.firstLine(e.getMessage()));
    }
  }

  public <T> T inTransaction(ConnectionWork<T> work) {
    return withConnection(
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.apply(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException rollbackFailure) {
              e.addSuppressed(rollbackFailure);
            }
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  public <T> List<T> query(SqlFile sql, RowMapper<T> mapper, Object... params) {
    return withConnection(c -> query(c, sql, mapper, params));
  }

  public <T> Optional<T> queryOne(SqlFile sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(SqlFile sql, Object... params) {
    return withConnection(c -> update(c, sql, params));
  }

  /** Runs on a caller's connection; SQLExceptions are converted here too. */
  public <T> List<T> query(Connection c, SqlFile sql, RowMapper<T> mapper, Object... params) {
    return queryAtMost(c, sql, 0, mapper, params);
  }

  /** At most {@code maxRows} rows (0: all): the driver stops reading there. */
  public <T> List<T> queryAtMost(
      Connection c, SqlFile sql, int maxRows, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql.text())) {
      ps.setMaxRows(maxRows);
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DbException(where, sql.name(), e);
    }
  }

  /**
   * Runs work on a caller's connection in a READ ONLY transaction that is rolled back afterwards.
   * When the connection died under the work (the target restarted), the work's error is the one
   * thrown, with the rollback's failure attached to it.
   *
   * @param snapshot REPEATABLE READ: every statement of the work sees the same snapshot
   * @param statementTimeoutMillis for the transaction only, or null for the session's
   */
  public <T> T readOnlyThenRollback(
      Connection c, boolean snapshot, Long statementTimeoutMillis, ConnectionWork<T> work) {
    SqlFile readOnly =
        SqlFile.load(
            snapshot
                ? "session/transaction_repeatable_read_only"
                : "session/transaction_read_only");
    return transaction(c, readOnly, statementTimeoutMillis, false, work);
  }

  /**
   * Work in one transaction on a caller's connection with its own statement_timeout (and a network
   * timeout that outlasts it): committed when the work returns, rolled back when it throws.
   */
  public <T> T inTransaction(Connection c, long statementTimeoutMillis, ConnectionWork<T> work) {
    return transaction(c, null, statementTimeoutMillis, true, work);
  }

  /**
   * @param characteristics SET TRANSACTION's, first in the transaction; null for the defaults
   * @param commit commit when the work returns; else (and always when it throws) roll back
   */
  private <T> T transaction(
      Connection c,
      SqlFile characteristics,
      Long statementTimeoutMillis,
      boolean commit,
      ConnectionWork<T> work) {
    RuntimeException failure = null;
    Integer networkBefore = null;
    try {
      if (statementTimeoutMillis != null) {
        networkBefore = NetworkTimeout.allow(c, statementTimeoutMillis);
      }
      c.setAutoCommit(false);
      if (characteristics != null) {
        update(c, characteristics);
      }
      if (statementTimeoutMillis != null) {
        localStatementTimeout(c, statementTimeoutMillis);
      }
      T result = work.apply(c);
      if (commit) {
        c.commit();
      }
      return result;
    } catch (SQLException e) {
      failure = new DbException(where, null, e);
      throw failure;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      endTransaction(c, failure); // after a commit, the rollback has nothing to undo
      restoreNetworkTimeout(c, networkBefore);
    }
  }

  private void localStatementTimeout(Connection c, long millis) {
    query(
        c,
        SqlFile.load("session/local_statement_timeout"),
        rs -> rs.getString(1),
        String.valueOf(millis));
  }

  private static void restoreNetworkTimeout(Connection c, Integer millis) {
    if (millis != null) {
      try {
        NetworkTimeout.restore(c, millis);
      } catch (SQLException e) {
        // a closed connection: the pool discards it, and its timeout with it
      }
    }
  }

  private void endTransaction(Connection c, RuntimeException failure) {
    try {
      if (!c.isClosed()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if (failure == null) {
        throw new DbException(where, null, e);
      }
      failure.addSuppressed(e);
    }
  }

  /**
   * A statement prepared once on a caller's connection and run many times (a measurement loop).
   *
   * @param prepareThreshold the driver's: 0 plans at every execution (a later SET LOCAL counts), -1
   *     uses binary transfer from the first execution
   * @param fetchSize rows per round trip when streaming, 0 for all at once
   */
  public Prepared prepare(Connection c, SqlFile sql, int prepareThreshold, int fetchSize) {
    PreparedStatement ps = null;
    try {
      ps = c.prepareStatement(sql.text());
      ps.unwrap(PGStatement.class).setPrepareThreshold(prepareThreshold);
      ps.setFetchSize(fetchSize);
      return new Prepared(sql, ps);
    } catch (SQLException e) {
      if (ps != null) {
        try {
          ps.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
      }
      throw new DbException(where, sql.name(), e);
    }
  }

  /** A prepared statement whose failures are converted like every other. */
  public final class Prepared implements AutoCloseable {
    private final SqlFile sql;
    private final PreparedStatement ps;

    private Prepared(SqlFile sql, PreparedStatement ps) {
      this.sql = sql;
      this.ps = ps;
    }

    /** Streams the rows to {@code each}, which may stop early by throwing. */
    public void forEach(RowMapper<?> each, Object... params) {
      try {
        bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            each.map(rs);
          }
        }
      } catch (SQLException e) {
        throw new DbException(where, sql.name(), e);
      }
    }

    @Override
    public void close() {
      try {
        ps.close();
      } catch (SQLException e) {
        throw new DbException(where, sql.name(), e);
      }
    }
  }

  public int update(Connection c, SqlFile sql, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql.text())) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DbException(where, sql.name(), e);
    }
  }

  private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant instant) {
        p = OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
      }
      ps.setObject(i + 1, p);
    }
  }
}
