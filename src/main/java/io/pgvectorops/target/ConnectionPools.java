package io.pgvectorops.target;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.util.Duration;

/** Builds the small HikariCP pools used for targets and the state database. */
public final class ConnectionPools {
  public static final String APPLICATION_NAME = "pgvector-ops";

  private ConnectionPools() {}

  public static HikariDataSource create(
      String poolName,
      String url,
      String user,
      String password,
      int maxConnections,
      Duration statementTimeout,
      Duration lockTimeout,
      Duration connectTimeout,
      String currentSchema) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    if (password != null) {
      hc.setPassword(password);
    }
    hc.setMaximumPoolSize(maxConnections);
    // No idle connections kept open and no failure at start: a target that is down must not
    // stop the daemon, and an idle daemon should not hold connections on a busy server.
    hc.setMinimumIdle(0);
    hc.setInitializationFailTimeout(-1);
    hc.setIdleTimeout(java.time.Duration.ofMinutes(5).toMillis());
    hc.setMaxLifetime(java.time.Duration.ofMinutes(30).toMillis());
    hc.setConnectionTimeout(Math.max(250, connectTimeout.toMilliseconds()));
    hc.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    hc.addDataSourceProperty("connectTimeout", Math.max(1, connectTimeout.toSeconds()));
    hc.addDataSourceProperty("loginTimeout", Math.max(1, connectTimeout.toSeconds()));
    hc.addDataSourceProperty("tcpKeepAlive", true);
    // Session defaults for every statement on this pool; jobs may lower them, never drop them.
    hc.addDataSourceProperty(
        "options",
        "-c statement_timeout="
            + statementTimeout.toMilliseconds()
            + " -c lock_timeout="
            + lockTimeout.toMilliseconds()
            + " -c idle_in_transaction_session_timeout="
            + Math.max(60_000, statementTimeout.toMilliseconds() * 2));
    if (currentSchema != null) {
      hc.addDataSourceProperty("currentSchema", currentSchema);
    }
    return new HikariDataSource(hc);
  }
}
