package io.pgvectorops.health;

import com.codahale.metrics.health.HealthCheck;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;

/**
 * Healthy when a connection can be had and answers; used for the state database and each target.
 */
public class DatabaseHealthCheck extends HealthCheck {
  private final Jdbc jdbc;

  public DatabaseHealthCheck(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  protected Result check() {
    try {
      jdbc.query(SqlFile.load("probes/ping"), rs -> rs.getInt(1));
      return Result.healthy();
    } catch (DbException e) {
      return Result.unhealthy(e.getMessage());
    }
  }
}
