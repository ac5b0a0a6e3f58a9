package io.pgvectorops.targets;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.util.Duration;
import io.pgvectorops.common.Threads;
import io.pgvectorops.config.TlsConfig;
import io.pgvectorops.sql.NetworkTimeout;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

/** Builds the small HikariCP pools used for targets and the state database. */
public final class ConnectionPools {
  public static final String APPLICATION_NAME = "pgvector-ops";

  /** How much longer than the login timeout a run waits for a connection from the pool. */
  static final long LOGIN_MARGIN_MILLIS = 2000;

  /**
   * One housekeeping thread for every pool: HikariCP otherwise starts one per pool, a thread per
   * target (200 at 200 targets) for a task that runs every 30 s for microseconds.
   */
  private static final ScheduledThreadPoolExecutor HOUSEKEEPING = housekeeping();

  private ConnectionPools() {}

  private static ScheduledThreadPoolExecutor housekeeping() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1, Threads.named("pool-housekeeping"), new ThreadPoolExecutor.DiscardPolicy());
    // a closed pool cancels its task: drop it at once, not at its next time (HikariCP's own setup)
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  public static HikariDataSource create(
      String poolName,
      String url,
      String user,
      String password,
      int maxConnections,
      Duration statementTimeout,
      Duration lockTimeout,
      Duration connectTimeout,
      String currentSchema,
      TlsConfig.Resolved tls) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    if (password != null) {
      hc.setPassword(password);
    }
    hc.setMaximumPoolSize(maxConnections);
    hc.setScheduledExecutor(HOUSEKEEPING);
    // No idle connections kept open and no failure at start: a target that is down must not
    // stop the daemon, and an idle daemon should not hold connections on a busy server.
    hc.setMinimumIdle(0);
    hc.setInitializationFailTimeout(-1);
    hc.setIdleTimeout(java.time.Duration.ofMinutes(5).toMillis());
    hc.setMaxLifetime(java.time.Duration.ofMinutes(30).toMillis());
    // a little longer than the login timeout, so a login that failed or got no answer is the
    // reason given (the pool's cause), not "no connection available"
    hc.setConnectionTimeout(Math.max(250, connectTimeout.toMilliseconds()) + LOGIN_MARGIN_MILLIS);
    hc.setValidationTimeout(Math.max(250, Math.min(5000, connectTimeout.toMilliseconds() / 2)));
    driverProperties(hc, statementTimeout, lockTimeout, connectTimeout);
    if (currentSchema != null) {
      hc.addDataSourceProperty("currentSchema", currentSchema);
    }
    if (tls != null) {
      tls(hc, tls);
    }
    return new HikariDataSource(hc);
  }

  /** The driver's side: login and socket timeouts, keepalive, and the sessions' timeouts. */
  private static void driverProperties(
      HikariConfig hc, Duration statementTimeout, Duration lockTimeout, Duration connectTimeout) {
    hc.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    // as text: the driver reads its properties with getProperty, which sees only strings (a
    // number or a boolean given here would be silently ignored)
    String connectSeconds = String.valueOf(Math.max(1, connectTimeout.toSeconds()));
    hc.addDataSourceProperty("connectTimeout", connectSeconds);
    hc.addDataSourceProperty("loginTimeout", connectSeconds);
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    hc.addDataSourceProperty("socketFactory", KeepaliveSocketFactory.class.getName());
    // no answer within the pool's statement timeout plus a margin: the session is given up (a
    // statement with a longer timeout of its own raises it: NetworkTimeout.allow)
    hc.addDataSourceProperty(
        "socketTimeout",
        String.valueOf(
            Math.max(1, NetworkTimeout.forStatements(statementTimeout.toMilliseconds()) / 1000)));
    // Session defaults for every statement on this pool; jobs may lower them, never drop them.
    hc.addDataSourceProperty(
        "options",
        "-c statement_timeout="
            + statementTimeout.toMilliseconds()
            + " -c lock_timeout="
            + lockTimeout.toMilliseconds()
            + " -c idle_in_transaction_session_timeout="
            + Math.max(60_000, statementTimeout.toMilliseconds() * 2));
  }

  /** libpq's settings, which the driver's default SSL factory (LibPQFactory) reads. */
  private static void tls(HikariConfig hc, TlsConfig.Resolved tls) {
    hc.addDataSourceProperty("sslmode", tls.mode().sslmode());
    if (tls.rootCert() != null) {
      hc.addDataSourceProperty("sslrootcert", tls.rootCert().toString());
    }
    if (tls.cert() != null) {
      hc.addDataSourceProperty("sslcert", tls.cert().toString());
      hc.addDataSourceProperty("sslkey", tls.key().toString());
    } else {
      // not ~/.postgresql/postgresql.crt of whoever runs the daemon: no client certificate
      hc.addDataSourceProperty("sslcert", "");
    }
    if (tls.keyPassword() != null) {
      hc.addDataSourceProperty("sslpassword", tls.keyPassword());
    }
  }
}
