package io.pgvectorops.health;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.util.Duration;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.NetworkTimeout;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.StateDatabase;
import io.pgvectorops.targets.Target;

/**
 * Healthy when a connection can be had and answers; used for the state database and each target. A
 * monitor waits on it, so it is a patient caller ({@link NetworkTimeout#patience}): it waits for an
 * answer no longer than the database's connect timeout, and while the database is known unreachable
 * it says so at once rather than waiting out the pool's connection timeout each time.
 */
public class DatabaseHealthCheck extends HealthCheck {
  private final Jdbc jdbc;
  private final long patienceMillis;

  public DatabaseHealthCheck(Jdbc jdbc, Duration patience) {
    this.jdbc = jdbc;
    this.patienceMillis = patience.toMilliseconds();
  }

  public static DatabaseHealthCheck of(Target t) {
    return new DatabaseHealthCheck(t.jdbc(), t.config().connectTimeout);
  }

  public static DatabaseHealthCheck of(StateDatabase state) {
    return new DatabaseHealthCheck(state.jdbc(), StateDatabase.CONNECT_TIMEOUT);
  }

  @Override
  protected Result check() {
    try (NetworkTimeout.Bound bound = NetworkTimeout.patience(patienceMillis)) {
      jdbc.query(SqlFile.load("probes/ping"), rs -> rs.getInt(1));
      return Result.healthy();
    } catch (DbException e) {
      return Result.unhealthy(e.getMessage());
    }
  }
}
