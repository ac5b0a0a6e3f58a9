package io.pgvectorops.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * How long a session waits for the server's answer before it gives the connection up. The server
 * ends a statement at its statement_timeout and says so; a server that stops answering (a network
 * partition, a frozen host, a firewall dropping packets) says nothing, and without a client-side
 * limit the run would wait for TCP's own timeouts, hours. So every wait is bounded by the
 * statement's timeout plus {@link #MARGIN}: the driver's socket timeout for a pool's sessions, and
 * this network timeout for a statement that raises its own statement_timeout.
 */
public final class NetworkTimeout {
  /** Past the statement timeout: time for the server's cancel and its error to arrive. */
  public static final long MARGIN_MILLIS = 15_000;

  /** pgjdbc does not use the executor: its socket timeout is set at once. */
  private static final Executor DIRECT = Runnable::run;

  /** A caller's own bound on waiting, for the connections it borrows (an API request's). */
  private static final ThreadLocal<Long> PATIENCE = new ThreadLocal<>();

  private NetworkTimeout() {}

  /** Ends a {@link #patience} bound. */
  public interface Bound extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Until closed, every connection this thread borrows through {@link Jdbc} waits at most this long
   * for an answer: an API request answers 503 within it when the state database stops answering, as
   * when it is down, rather than after the pool's statement timeout.
   */
  public static Bound patience(long millis) {
    PATIENCE.set(millis);
    return PATIENCE::remove;
  }

  /** Whether this thread is under a {@link #patience} bound: someone is waiting on its answer. */
  static boolean patient() {
    return PATIENCE.get() != null;
  }

  /** Applies this thread's bound, if any, to a connection it just borrowed. */
  static void applyPatience(Connection c) throws SQLException {
    Long millis = PATIENCE.get();
    if (millis != null) {
      c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, millis));
    }
  }

  /**
   * @param statementTimeoutMillis 0 for none: then no client-side limit either (TCP keepalive still
   *     notices a peer that is gone)
   * @return the network timeout for statements of that timeout, in milliseconds (0: none)
   */
  public static long forStatements(long statementTimeoutMillis) {
    return statementTimeoutMillis <= 0 ? 0 : statementTimeoutMillis + MARGIN_MILLIS;
  }

  /**
   * Lets the session wait for statements of this timeout.
   *
   * @return the network timeout it had, to be put back
   */
  public static int allow(Connection c, long statementTimeoutMillis) throws SQLException {
    int before = c.getNetworkTimeout();
    c.setNetworkTimeout(
        DIRECT, (int) Math.min(Integer.MAX_VALUE, forStatements(statementTimeoutMillis)));
    return before;
  }

  public static void restore(Connection c, int millis) throws SQLException {
    c.setNetworkTimeout(DIRECT, millis);
  }
}
