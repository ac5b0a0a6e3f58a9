package io.pgvectorops.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.util.Duration;
import io.pgvectorops.targets.ConnectionPools;
import io.pgvectorops.testing.SettableClock;
import io.pgvectorops.testing.StallingProxy;
import io.pgvectorops.testing.TestPostgres;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A caller someone waits on (an API request, a health check) is told at once that a database is
 * unreachable while that is known, instead of waiting out the pool's connection timeout on every
 * request; the database's return is still noticed without anyone waiting; scheduled runs are not
 * held back.
 */
class UnreachableDatabaseTest {
  private static final SqlFile PING = SqlFile.load("probes/ping");

  @Test
  void aPatientCallerHearsAKnownFailureAtOnceAndStartsOneTryInTheBackgroundPerRetryInterval()
      throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-03T00:00:00Z"));
    List<Runnable> started = new ArrayList<>();
    AtomicInteger tries = new AtomicInteger();
    Reachability r = new Reachability(clock, started::add, tries::incrementAndGet);

    r.admitPatient(); // nothing known: ask the pool
    r.failed(new SQLException("Connection to 127.0.0.1:1 refused.", "08001"));
    SQLException known = catchThrowableOfType(r::admitPatient, SQLException.class);
    assertThat(known.getSQLState()).isEqualTo("08001");
    assertThat(known.getMessage()).startsWith("Connection to 127.0.0.1:1 refused. (found 0 s ago");
    assertThat(started).as("tried less than RETRY ago: no new try yet").isEmpty();

    clock.advance(Reachability.RETRY);
    assertThatThrownBy(r::admitPatient).hasMessageContaining("found 2 s ago");
    assertThatThrownBy(r::admitPatient).hasMessageContaining("found 2 s ago");
    assertThat(started).as("one try at a time, however many callers").hasSize(1);
    started.get(0).run();
    assertThat(tries).hasValue(1);
    assertThatThrownBy(r::admitPatient).isInstanceOf(SQLException.class);
    assertThat(started).as("the try ended: the next caller may start another").hasSize(2);

    r.reached();
    r.admitPatient();
  }

  @Test
  void throughARealPoolTheSecondPatientCallIsAnsweredFromWhatIsKnownAndTheReturnIsFound()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("unreachable");
    try (StallingProxy proxy = new StallingProxy(db.host(), db.port());
        HikariDataSource pool = pool(proxy.in(db))) {
      Jdbc jdbc = new Jdbc("test database", pool);
      assertThat(patientPing(jdbc)).isEqualTo(1);

      proxy.refuse();
      // the session the pool holds died with the rest; a failure inside a unit of work says
      // nothing about reaching the database (a restart ends sessions too), asking for one does
      pool.getHikariPoolMXBean().softEvictConnections();
      DbException waited = catchThrowableOfType(() -> patientPing(jdbc), DbException.class);
      assertThat(waited.isConnectionFailure()).isTrue();
      assertThat(waited.getMessage()).doesNotContain("not tried again");
      DbException told = catchThrowableOfType(() -> patientPing(jdbc), DbException.class);
      assertThat(told.isConnectionFailure()).isTrue();
      assertThat(told.getMessage())
          .startsWith("test database: ")
          .contains("s ago and not tried again for this request");
      // a scheduled run asks the pool itself, as before
      assertThatThrownBy(() -> jdbc.query(PING, rs -> rs.getInt(1)))
          .isInstanceOf(DbException.class)
          .message()
          .doesNotContain("not tried again");

      proxy.flow();
      // nobody but patient callers asks: their background try finds the database back
      Awaitility.await("a patient caller finds the database back")
          .atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(200))
          .ignoreException(DbException.class)
          .until(() -> patientPing(jdbc) == 1);
    }
  }

  private static int patientPing(Jdbc jdbc) {
    try (NetworkTimeout.Bound bound = NetworkTimeout.patience(5_000)) {
      return jdbc.query(PING, rs -> rs.getInt(1)).get(0);
    }
  }

  private static HikariDataSource pool(TestPostgres.Database db) {
    return ConnectionPools.create(
        "unreachable-test",
        db.url(),
        db.user(),
        db.password(),
        2,
        Duration.seconds(10),
        Duration.seconds(2),
        Duration.seconds(1),
        null,
        null);
  }
}
