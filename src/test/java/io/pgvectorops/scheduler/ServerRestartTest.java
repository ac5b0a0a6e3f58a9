package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.testing.Chunks;
import io.pgvectorops.testing.OwnCluster;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A restart of the state database, and separately of a target, between a pool's last use and the
 * next run costs no run, for every shipped kind: the run succeeds. A restart is slow enough that
 * HikariCP usually checks the idle connection itself; the race it leaves (a connection used less
 * than 500 ms before, which the pool hands out unchecked) is made certain by ending the pool's
 * sessions as a restart does right after its last use: then the run succeeds with exactly one retry
 * in the log. A target that stays down still fails as unreachable.
 */
@Slow
class ServerRestartTest {
  static final List<String> KINDS = LockContentionTest.JOB_NAMES;

  @TempDir Path dir;
  final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void listen() {
    lines.start();
    ((Logger) LoggerFactory.getLogger(Jdbc.class)).addAppender(lines);
    ((Logger) LoggerFactory.getLogger(JobRunner.class)).addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    ((Logger) LoggerFactory.getLogger(Jdbc.class)).detachAppender(lines);
    ((Logger) LoggerFactory.getLogger(JobRunner.class)).detachAppender(lines);
  }

  long retries() {
    return lines.list.stream()
        .filter(e -> e.getFormattedMessage().contains("retrying once on a fresh connection"))
        .count();
  }

  Components open(TestPostgres.Database target, TestPostgres.Database state) throws Exception {
    Path jobs = dir.resolve("jobs");
    Files.createDirectories(jobs);
    for (Map.Entry<String, String> f : LockContentionTest.JOBS.entrySet()) {
      Files.writeString(jobs.resolve(f.getKey()), f.getValue());
    }
    OpsConfiguration config = Stack.config(target, "restart_state", jobs);
    config.state.url = state.url();
    config.state.user = state.user();
    config.state.password = state.password();
    Components c = Stack.open(config, Clock.systemUTC());
    c.liveness.ensureHeld();
    return c;
  }

  /** Ends the pool's sessions on this database as a restart ends them, and waits until they are. */
  static void endSessions(TestPostgres.Database db) throws Exception {
    db.execute(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND application_name = 'pgvector-ops'");
  }

  static void touch(io.pgvectorops.sql.Jdbc jdbc) {
    jdbc.withConnection(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
          }
          return null;
        });
  }

  void assertSucceeds(Components c, String kind, String when) {
    RunOutcome o = Stack.runNow(c, kind);
    assertThat(o.runId()).as(kind + " " + when + ": recorded").isNotNull();
    assertThat(o.status()).as(kind + " " + when + ": " + o.error()).isIn(RunStatus.succeeded);
  }

  @Test
  void aRestartOfTheStateDatabaseCostsNoRun() throws Exception {
    TestPostgres.Database target = TestPostgres.newDatabase("restart_of_state_target");
    Chunks.create(target, 3000);
    try (OwnCluster cluster = OwnCluster.start()) {
      TestPostgres.Database state = cluster.newDatabaseWithoutVector("restart_of_state");
      try (Components c = open(target, state)) {
        for (String kind : KINDS) {
          assertSucceeds(c, kind, "before");
          cluster.restart();
          assertSucceeds(c, kind, "after a restart of the state database");
          long before = retries();
          touch(c.state.jdbc());
          endSessions(state);
          assertSucceeds(c, kind, "right after its state sessions ended");
          assertThat(retries() - before).as(kind + ": one retry, logged").isEqualTo(1);
        }
      }
    }
  }

  @Test
  void aRestartOfATargetCostsNoRunAndATargetThatStaysDownStillFails() throws Exception {
    TestPostgres.Database state = TestPostgres.newDatabase("restart_of_target_state");
    try (OwnCluster cluster = OwnCluster.start()) {
      TestPostgres.Database target = cluster.newDatabase("restart_of_target");
      Chunks.create(target, 3000);
      try (Components c = open(target, state)) {
        var jdbc = c.targets.get("main").orElseThrow().jdbc();
        for (String kind : KINDS) {
          assertSucceeds(c, kind, "before");
          cluster.restart();
          assertSucceeds(c, kind, "after a restart of the target");
          long before = retries();
          touch(jdbc);
          endSessions(target);
          assertSucceeds(c, kind, "right after the target's sessions ended");
          assertThat(retries() - before).as(kind + ": one retry, logged").isEqualTo(1);
        }
        cluster.stop();
        long before = retries();
        RunOutcome down = Stack.runNow(c, "health");
        assertThat(down.status()).isEqualTo(RunStatus.failed);
        assertThat(down.error()).contains("cannot connect to target main");
        // the pooled session died with the server: one retry, whose connect fails, and no more
        assertThat(retries() - before)
            .as("a server that is down is retried at most once")
            .isLessThanOrEqualTo(1);
        cluster.startAgain();
      }
    }
  }
}
