package io.pgvectorops.health;

import com.codahale.metrics.health.HealthCheck;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import java.sql.Statement;

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
      jdbc.withConnection(
          c -> {
            try (Statement s = c.createStatement()) {
              return s.execute("/* pgvector-ops:healthcheck */ SELECT 1");
            }
          });
      return Result.healthy();
    } catch (DbException e) {
      return Result.unhealthy(e.getMessage());
    }
  }
}
