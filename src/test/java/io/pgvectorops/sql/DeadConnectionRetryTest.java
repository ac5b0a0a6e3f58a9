package io.pgvectorops.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.util.Duration;
import io.pgvectorops.targets.ConnectionPools;
import io.pgvectorops.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where {@link Jdbc} draws the line for a retry on a fresh connection: a unit of work whose session
 * died before any of its statements succeeded runs again once; one whose session died after a
 * statement succeeded is not repeated; a Jdbc that does not retry (the targets') never does.
 */
class DeadConnectionRetryTest {
  static TestPostgres.Database db;
  static HikariDataSource pool;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("dead_connection");
    pool =
        ConnectionPools.create(
            "dead-connection-test",
            db.url(),
            db.user(),
            db.password(),
            2,
            Duration.seconds(10),
            Duration.seconds(2),
            Duration.seconds(3),
            null,
            null);
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  /** Ends the session behind a connection, as a server restart does, and waits until it is gone. */
  static void kill(Connection c) throws java.sql.SQLException {
    int pid;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      pid = rs.getInt(1);
    }
    db.execute("SELECT pg_terminate_backend(" + pid + ", 10000)");
  }

  static int one(Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aSessionDeadBeforeItsFirstStatementIsRetriedOnce() {
    Jdbc jdbc = new Jdbc("state database", pool, true);
    AtomicInteger attempts = new AtomicInteger();
    int answer =
        jdbc.withConnection(
            c -> {
              if (attempts.incrementAndGet() == 1) {
                try {
                  // the session dies between the pool's last use and this unit's first statement
                  Connection other = c.unwrap(Connection.class);
                  killQuietly(other);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
              try (Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT 42")) {
                rs.next();
                return rs.getInt(1);
              }
            });
    assertThat(answer).isEqualTo(42);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aSessionDeadAfterAStatementSucceededIsNotRepeated() {
    Jdbc jdbc = new Jdbc("state database", pool, true);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                jdbc.withConnection(
                    c -> {
                      attempts.incrementAndGet();
                      one(c);
                      killQuietly(c.unwrap(Connection.class));
                      return one(c);
                    }))
        .isInstanceOf(DbException.class)
        .satisfies(e -> assertThat(((DbException) e).isConnectionFailure()).isTrue());
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aJdbcThatDoesNotRetryNeverDoes() {
    Jdbc jdbc = new Jdbc("target main", pool);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                jdbc.withConnection(
                    c -> {
                      attempts.incrementAndGet();
                      killQuietly(c);
                      return one(c);
                    }))
        .isInstanceOf(DbException.class);
    assertThat(attempts).hasValue(1);
  }

  private static void killQuietly(Connection c) {
    try {
      kill(c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
