package io.pgvectorops.targets;

import com.zaxxer.hikari.HikariDataSource;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.Jdbc;

/** One watched database with its own small connection pool. */
public record Target(TargetConfig config, HikariDataSource dataSource, Jdbc jdbc) {
  public String name() {
    return config.name;
  }
}
