package io.pgvectorops.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
  @Test
  void anotherDatabaseKeepsHostsAndParameters() {
    assertThat(
            JdbcUrls.withDatabase("jdbc:postgresql://db1:5433/postgres?sslmode=require", "app 2"))
        .isEqualTo("jdbc:postgresql://db1:5433/app%202?sslmode=require");
    assertThat(JdbcUrls.withDatabase("jdbc:postgresql://db1", "app"))
        .isEqualTo("jdbc:postgresql://db1/app");
    assertThat(JdbcUrls.database("jdbc:postgresql://db1:5433/app%202?x=y")).isEqualTo("app 2");
    assertThat(JdbcUrls.database("jdbc:postgresql://db1")).isNull();
  }

  @Test
  void theServerIsItsHostsWithTheirPorts() {
    assertThat(JdbcUrls.server("jdbc:postgresql://db1/app")).isEqualTo("db1:5432");
    assertThat(JdbcUrls.server("jdbc:postgresql://db1:5433,db2/app?x=1"))
        .isEqualTo("db1:5433,db2:5432");
    assertThat(JdbcUrls.server("jdbc:postgresql://[::1]:5433/app")).isEqualTo("[::1]:5433");
  }
}
